// File: nodes/handler_file.h
//
// Topic-handler files (Kapacitor's `kapacitor define-topic-handler FILE`), YAML (.yaml/.yml) or
// JSON (.json), both read with yaml-cpp:
//
//   id: kafka-cpu-alert        # ^[-._\p{L}0-9]+$
//   topic: cpu                 # ^[-:._\p{L}0-9]+$
//   kind: kafka                # kafka | log (other Kapacitor kinds: "not supported by tickrun")
//   options:                   # the kind's options, decoded strictly (names and types)
//     topic: 'cpu-alerts'
//   match: level() >= WARNING  # optional, nodes/match_expr.h
//
// Every error is InvalidArgument formatted as a compiler diagnostic at the offending key or
// value (`file:line:col: error: message`, then the source line and a caret line). Messages:
//   unknown key "x" (expected id, topic, kind, options, match)
//   duplicate key "x"
//   key "id" must be a string, got a mapping
//   handler ID must contain only letters, numbers, '-', '.' and '_'. "bad id"
//   handler topic must contain only letters, numbers, '-', ':', '.' and '_'. "bad topic"
//   handler Kind must not be empty
//   handler kind "slack" is not supported by tickrun (supported kinds: kafka, log)
//   unsupported action kind "x"                       (not a Kapacitor kind either)
//   "options" must be a mapping
//   unknown option "x" for kind kafka (expected cluster, topic, template, disablePartitionById,
//   partitionAlgorithm)
//   option "topic" must be of type string, got int     (bool | int | string per option)
//   invalid match expression: ...                      (see MatchExpr::Compile)
// and across files (LoadHandlerPaths), at the second definition:
//   cannot register handler, handler with ID "x" already exists (topic "t", first defined at
//   a.yaml:1:5)
// Kapacitor's IDs are unique per topic (its object id is topic/id), so are tickrun's.
// Differences from Kapacitor, on purpose: unknown top-level keys are errors; the topic error
// prints the topic (Kapacitor prints the handler ID there) and lists ':' which the pattern
// allows.
#ifndef TICK_NODES_HANDLER_FILE_H_
#define TICK_NODES_HANDLER_FILE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/source.h"
#include "interpreter/handler_spec.h"
#include "nodes/alert_handler.h"
#include "nodes/topic_router.h"

namespace tick::nodes {

struct TopicHandlerSpec {
  std::string topic;
  std::string match;  // "" = no match expression
  SourceRange match_where;
  SourceRange id_where;
  interp::HandlerSpec spec;  // kind, id, options (ranges into source->text()), origin = file
  std::shared_ptr<const SourceFile> source;
};

// Parses and validates one file's text (YAML or JSON; `filename` is used in diagnostics).
absl::StatusOr<TopicHandlerSpec> ParseHandlerFile(std::string_view text, std::string_view filename);

// Reads one file. kNotFound: `cannot read handler file "x": <strerror>`.
absl::StatusOr<TopicHandlerSpec> LoadHandlerFile(const std::string& path);

// Loads every path: a file, or a directory whose *.yaml, *.yml and *.json entries are loaded in
// name order (not recursive; an empty directory is an error `no handler files (.yaml, .yml,
// .json) in directory "d"`). Duplicate (topic, id) pairs are errors.
absl::StatusOr<std::vector<TopicHandlerSpec>> LoadHandlerPaths(
    const std::vector<std::string>& paths);

// Creates each spec's handler with `factory` and subscribes it to `router` (in order). A
// creation error is formatted at the offending option (the kHandlerOptionPayloadUrl payload of
// the factory's error) or at the `kind` key.
absl::Status AddTopicHandlers(const std::vector<TopicHandlerSpec>& specs, HandlerFactory* factory,
                              TopicRouter* router);

}  // namespace tick::nodes

#endif  // TICK_NODES_HANDLER_FILE_H_
