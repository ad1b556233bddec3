// Topic-handler files: YAML and JSON, strict validation with exact diagnostics, directories,
// duplicate IDs, factory errors located at the offending option.
#include "nodes/handler_file.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace tick::nodes {
namespace {

using tick::testing::IsOk;
using tick::testing::StatusIs;

std::string Err(std::string_view text, std::string_view name = "h.yaml") {
  absl::StatusOr<TopicHandlerSpec> r = ParseHandlerFile(text, name);
  if (r.ok()) return "ok";
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

TEST(HandlerFile, SpecPageExample) {
  absl::StatusOr<TopicHandlerSpec> r = ParseHandlerFile(
      "id: kafka-cpu-alert\ntopic: cpu\nkind: kafka\noptions:\n  topic: 'cpu-alerts'\n",
      "kafka_cpu_handler.yaml");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(r->spec.id, "kafka-cpu-alert");
  EXPECT_EQ(r->topic, "cpu");
  EXPECT_EQ(r->spec.kind, "kafka");
  EXPECT_EQ(r->spec.origin, "kafka_cpu_handler.yaml");
  EXPECT_EQ(r->match, "");
  ASSERT_EQ(r->spec.options.size(), 1u);
  EXPECT_EQ(r->spec.options[0].name, "topic");
  EXPECT_EQ(std::get<std::string>(r->spec.options[0].value), "cpu-alerts");
  EXPECT_EQ(r->source->Locate(r->spec.options[0].where.begin), (LineCol{5, 3}));
}

TEST(HandlerFile, EveryKafkaOptionWithTypes) {
  absl::StatusOr<TopicHandlerSpec> r = ParseHandlerFile(
      "id: kafka-event-handler\n"
      "topic: kapacitor-topic-name\n"
      "kind: kafka\n"
      "options:\n"
      "  cluster: kafka-cluster\n"
      "  topic: kafka-topic-name\n"
      "  template: kafka-template-name\n"
      "  disablePartitionById: false\n"
      "  partitionAlgorithm: crc32\n"
      "match: level() >= WARNING\n",
      "h.yaml");
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->spec.options.size(), 5u);
  EXPECT_EQ(std::get<std::string>(r->spec.options[0].value), "kafka-cluster");
  EXPECT_EQ(std::get<bool>(r->spec.options[3].value), false);
  EXPECT_EQ(std::get<std::string>(r->spec.options[4].value), "crc32");
  EXPECT_EQ(r->match, "level() >= WARNING");
}

TEST(HandlerFile, JsonAndLogKindWithOctalYamlMode) {
  absl::StatusOr<TopicHandlerSpec> j = ParseHandlerFile(
      R"json({"id": "log1", "topic": "cpu", "kind": "log",
          "options": {"path": "/tmp/a.log", "mode": 420}, "match": "changed()"})json",
      "h.json");
  ASSERT_THAT(j.status(), IsOk());
  EXPECT_EQ(j->spec.kind, "log");
  EXPECT_EQ(std::get<int64_t>(j->spec.options[1].value), 420);
  absl::StatusOr<TopicHandlerSpec> y = ParseHandlerFile(
      "id: log1\ntopic: cpu\nkind: log\noptions:\n  path: /tmp/a.log\n  mode: 0644\n", "h.yaml");
  ASSERT_THAT(y.status(), IsOk());
  EXPECT_EQ(std::get<int64_t>(y->spec.options[1].value), 0644);
}

TEST(HandlerFile, FullDiagnosticFormat) {
  EXPECT_EQ(Err("id: a\ntopic: cpu\nkind: kafka\noptions:\n  topik: x\n"),
            "h.yaml:5:3: error: unknown option \"topik\" for kind kafka (expected cluster, topic, "
            "template, disablePartitionById, partitionAlgorithm)\n"
            "  topik: x\n"
            "  ^");
}

TEST(HandlerFile, ValidationErrorTexts) {
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: kafka\nfoo: 1\n")),
            "h.yaml:4:1: error: unknown key \"foo\" (expected id, topic, kind, options, match)");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nid: b\nkind: kafka\n")),
            "h.yaml:3:1: error: duplicate key \"id\"");
  EXPECT_EQ(FirstLine(Err("id: [a]\ntopic: cpu\nkind: kafka\n")),
            "h.yaml:1:5: error: key \"id\" must be a string, got a sequence");
  EXPECT_EQ(FirstLine(Err("id: a b\ntopic: cpu\nkind: kafka\n")),
            "h.yaml:1:5: error: handler ID must contain only letters, numbers, '-', '.' and '_'. "
            "\"a b\"");
  EXPECT_EQ(FirstLine(Err("topic: cpu\nkind: kafka\n")),
            "h.yaml:1:1: error: handler ID must contain only letters, numbers, '-', '.' and '_'. "
            "\"\"");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu/x\nkind: kafka\n")),
            "h.yaml:2:8: error: handler topic must contain only letters, numbers, '-', ':', '.' "
            "and '_'. \"cpu/x\"");
  // Unicode letters and ':' in topics are allowed, as in Kapacitor.
  EXPECT_EQ(Err("id: h\xc3\xa9\ntopic: main:task:alert2\nkind: log\noptions:\n  path: /tmp/x\n"),
            "ok");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: ''\n")),
            "h.yaml:3:1: error: handler Kind must not be empty");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\n")),
            "h.yaml:1:1: error: handler Kind must not be empty");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: slack\n")),
            "h.yaml:3:1: error: handler kind \"slack\" is not supported by tickrun (supported "
            "kinds: kafka, log)");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: carrier-pigeon\n")),
            "h.yaml:3:1: error: unsupported action kind \"carrier-pigeon\"");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: kafka\noptions: [1]\n")),
            "h.yaml:4:10: error: \"options\" must be a mapping");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: kafka\noptions:\n  topic: 123\n")),
            "h.yaml:5:10: error: option \"topic\" must be of type string, got int");
  EXPECT_EQ(
      FirstLine(Err("id: a\ntopic: cpu\nkind: kafka\noptions:\n  disablePartitionById: 'no'\n")),
      "h.yaml:5:25: error: option \"disablePartitionById\" must be of type bool, got string");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: log\noptions:\n  mode: 1.5\n")),
            "h.yaml:5:9: error: option \"mode\" must be of type int, got float");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: kafka\noptions:\n  topic: {a: 1}\n")),
            "h.yaml:5:10: error: option \"topic\" must be of type string, got a mapping");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: kafka\noptions:\n  topic: a\n  topic: b\n")),
            "h.yaml:6:3: error: duplicate option \"topic\"");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: kafka\nmatch: level() >\n")),
            "h.yaml:4:8: error: invalid match expression: 1:10: expected an expression after '>'");
  EXPECT_EQ(FirstLine(Err("id: a\ntopic: cpu\nkind: kafka\nmatch: level() > WARN\n")),
            "h.yaml:4:8: error: unknown identifier \"WARN\"");
  EXPECT_EQ(
      FirstLine(Err("- a\n- b\n")),
      "h.yaml:1:1: error: a handler file must be a mapping with keys id, topic, kind, options "
      "and match");
  EXPECT_EQ(FirstLine(Err("{\"id\": \"a\", \"topic\": ", "h.json")).substr(0, 18),
            "h.json:1:22: error");
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("tick_handlers_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TEST(HandlerPaths, DirectoryLoadsYamlYmlJsonInNameOrder) {
  TempDir d;
  d.Write("b.yml", "id: b\ntopic: cpu\nkind: log\noptions:\n  path: /tmp/b\n");
  d.Write("a.json", R"({"id":"a","topic":"cpu","kind":"log","options":{"path":"/tmp/a"}})");
  d.Write("c.yaml", "id: c\ntopic: mem\nkind: kafka\noptions:\n  topic: t\n");
  d.Write("notes.txt", "not a handler");
  auto r = LoadHandlerPaths({d.path()});
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].spec.id, "a");
  EXPECT_EQ((*r)[1].spec.id, "b");
  EXPECT_EQ((*r)[2].spec.id, "c");
}

TEST(HandlerPaths, Errors) {
  TempDir d;
  const std::string a =
      d.Write("a.yaml", "id: x\ntopic: cpu\nkind: log\noptions:\n  path: /tmp/a\n");
  const std::string b =
      d.Write("b.yaml", "topic: cpu\nid: x\nkind: log\noptions:\n  path: /tmp/b\n");
  const std::string c =
      d.Write("c.yaml", "id: x\ntopic: mem\nkind: log\noptions:\n  path: /tmp/c\n");
  auto dup = LoadHandlerPaths({a, b});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(FirstLine(std::string(dup.status().message())),
            b +
                ":2:5: error: cannot register handler, handler with ID \"x\" already exists "
                "(topic \"cpu\", first defined at " +
                a + ":1:5)");
  // The same ID on another topic is a different handler.
  EXPECT_THAT(LoadHandlerPaths({a, c}).status(), IsOk());
  TempDir empty;
  EXPECT_THAT(
      LoadHandlerPaths({empty.path()}).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "no handler files (.yaml, .yml, .json) in directory \"" + empty.path() + "\""));
  EXPECT_THAT(
      LoadHandlerPaths({d.path() + "/missing.yaml"}).status(),
      StatusIs(absl::StatusCode::kNotFound, "cannot read handler file \"" + d.path() +
                                                "/missing.yaml\": No such file or directory"));
}

// A factory that rejects with a payload-carrying error, like CreateKafkaHandler.
class RejectingFactory final : public HandlerFactory {
 public:
  absl::StatusOr<std::unique_ptr<AlertHandler>> Create(const interp::HandlerSpec&) override {
    absl::Status s = absl::InvalidArgumentError("unknown cluster \"nope\"");
    s.SetPayload(kHandlerOptionPayloadUrl, absl::Cord("cluster"));
    return s;
  }
};

TEST(AddTopicHandlers, FactoryErrorIsLocatedAtTheOption) {
  absl::StatusOr<TopicHandlerSpec> r = ParseHandlerFile(
      "id: a\ntopic: cpu\nkind: kafka\noptions:\n  topic: t\n  cluster: nope\n", "h.yaml");
  ASSERT_THAT(r.status(), IsOk());
  RejectingFactory f;
  TopicRouter router;
  absl::Status s = AddTopicHandlers({*r}, &f, &router);
  EXPECT_EQ(std::string(s.message()),
            "h.yaml:6:3: error: unknown cluster \"nope\"\n  cluster: nope\n  ^");
  EXPECT_EQ(router.handler_count(), 0u);
}

}  // namespace
}  // namespace tick::nodes
