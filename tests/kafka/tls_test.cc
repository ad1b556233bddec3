// End-to-end TLS (mutual TLS) to the mock cluster through tools/kafka-tls-bridge.sh: the producer
// runs in a private network namespace (a child run of this binary) where the advertised broker
// addresses are stunnel TLS listeners; the parent reads back what landed over plaintext.
// Skipped, with a message, when not root or when stunnel4/socat/openssl/ip are missing.
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kafka/mock_cluster.h"
#include "kafka/producer.h"
#include "tests/kafka/kafka_test_util.h"
#include "tests/testing/status_matchers.h"

namespace tick::kafka {
namespace {

using ::testing::SizeIs;
using ::tick::testing::IsOk;

constexpr int kMessages = 200;
constexpr char kTopic[] = "tls-alerts";

bool HaveTool(const char* name) {
  return std::system(absl::StrCat("command -v ", name, " >/dev/null 2>&1").c_str()) == 0;
}

TEST(TlsTest, EndToEndMutualTlsThroughBridge) {
  if (std::getenv("TICK_TLS_CHILD") != nullptr) GTEST_SKIP() << "parent-only test";
  for (const char* tool : {"stunnel4", "socat", "openssl", "ip", "unshare"}) {
    if (!HaveTool(tool)) {
      GTEST_SKIP() << "TLS end-to-end test skipped: '" << tool
                   << "' is missing (apt-get install stunnel4 socat openssl iproute2)";
    }
  }
  if (geteuid() != 0) GTEST_SKIP() << "TLS end-to-end test skipped: needs root for unshare -n";

  auto mc = EmbeddedCluster::Create(3);
  ASSERT_THAT(mc, IsOk());
  ASSERT_THAT((*mc)->CreateTopic(kTopic, 6), IsOk());
  const std::string certdir = absl::StrCat(TICK_BINARY_DIR, "/kafka-tls-", getpid());
  ASSERT_EQ(std::system(absl::StrCat("mkdir -p ", certdir,
                                     " && openssl req -x509 -newkey rsa:2048 "
                                     "-nodes -keyout ",
                                     certdir, "/key.pem -out ", certdir,
                                     "/cert.pem -subj /CN=localhost -addext "
                                     "subjectAltName=DNS:localhost,IP:127.0.0.1 -days 2 "
                                     ">/dev/null 2>&1")
                            .c_str()),
            0);
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  ASSERT_GT(n, 0);
  self[n] = '\0';
  const std::string cmd = absl::StrCat(
      "MTLS=1 TICK_TLS_CHILD=1 TICK_TLS_BOOT='", (*mc)->bootstraps(), "' TICK_TLS_CERTDIR='",
      certdir, "' ", TICK_SOURCE_DIR, "/tools/kafka-tls-bridge.sh '", (*mc)->bootstraps(), "' '",
      certdir, "' -- ", self, " --gtest_filter='TlsTest.ClientInsideBridge*' 2>&1");
  FILE* f = popen(cmd.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string out;
  char buf[4096];
  while (fgets(buf, sizeof(buf), f) != nullptr) out += buf;
  const int rc = pclose(f);
  std::system(absl::StrCat("rm -rf ", certdir).c_str());
  ASSERT_EQ(rc, 0) << out;
  EXPECT_THAT(out, ::testing::HasSubstr("[  PASSED  ] 2 tests."));

  auto got = (*mc)->ReadAll(kTopic);
  ASSERT_THAT(got, IsOk());
  ASSERT_THAT(*got, SizeIs(kMessages));
  std::map<std::string, int> seen;
  for (const ConsumedMessage& m : *got) {
    ++seen[m.value];
    EXPECT_EQ(m.partition, *PartitionFor(PartitionAlgorithm::kMurmur2, m.key, 6)) << m.key;
    EXPECT_EQ(m.value, absl::StrCat("tls:", m.key));
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kMessages));
}

ClusterConfig ChildConfig() {
  ClusterConfig c;
  c.enabled = true;
  c.id = "tls";
  c.brokers = {std::getenv("TICK_TLS_BOOT")};
  c.batch_timeout = absl::Milliseconds(5);
  c.use_ssl = true;
  const std::string dir = std::getenv("TICK_TLS_CERTDIR");
  c.ssl_ca = dir + "/cert.pem";
  c.ssl_cert = dir + "/cert.pem";
  c.ssl_key = dir + "/key.pem";
  return c;
}

// Runs inside the bridge's network namespace (started by the test above).
TEST(TlsTest, ClientInsideBridgeDelivers) {
  if (std::getenv("TICK_TLS_CHILD") == nullptr) {
    GTEST_SKIP() << "runs inside tools/kafka-tls-bridge.sh, started by "
                    "TlsTest.EndToEndMutualTlsThroughBridge";
  }
  testing::LogCollector log;
  ProducerOptions o;
  o.log = log.Fn();
  auto p = Producer::Create(ChildConfig(), o);
  ASSERT_THAT(p, IsOk());
  for (int i = 0; i < kMessages; ++i) {
    const std::string key = absl::StrCat("cpu:host=server", i);
    ASSERT_THAT(
        (*p)->Produce(kTopic, key, absl::StrCat("tls:", key), PartitionAlgorithm::kMurmur2, true),
        IsOk());
  }
  ASSERT_THAT((*p)->Flush(absl::Seconds(20)), IsOk()) << log.All();
  ProducerStats s = (*p)->Close(absl::Seconds(5));
  EXPECT_EQ(s.delivered, static_cast<uint64_t>(kMessages)) << log.All();
  EXPECT_EQ(s.failed, 0u);
}

// Without a client certificate the mutual-TLS listeners refuse the producer: nothing is
// delivered and the failures are reported.
TEST(TlsTest, ClientInsideBridgeWithoutClientCertFails) {
  if (std::getenv("TICK_TLS_CHILD") == nullptr) {
    GTEST_SKIP() << "runs inside tools/kafka-tls-bridge.sh, started by "
                    "TlsTest.EndToEndMutualTlsThroughBridge";
  }
  ClusterConfig c = ChildConfig();
  c.ssl_cert.clear();
  c.ssl_key.clear();
  c.timeout = absl::Seconds(2);
  testing::LogCollector log;
  ProducerOptions o;
  o.log = log.Fn();
  auto p = Producer::Create(c, o);
  ASSERT_THAT(p, IsOk());
  ASSERT_THAT((*p)->Produce("tls-refused", "k", "v", PartitionAlgorithm::kCrc32, true), IsOk());
  EXPECT_THAT((*p)->Flush(absl::Seconds(10)), IsOk());
  ProducerStats s = (*p)->Close(absl::Seconds(1));
  EXPECT_EQ(s.delivered, 0u);
  EXPECT_EQ(s.failed, 1u);
}

}  // namespace
}  // namespace tick::kafka
