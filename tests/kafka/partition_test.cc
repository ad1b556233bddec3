// Partitioning: Kapacitor's vectors (services/kafka/hash_test.go), kafka-testing.md's tables, and
// librdkafka's built-in partitioners checked against the pure functions.
#include "kafka/partition.h"

#include <librdkafka/rdkafka.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace tick::kafka {
namespace {

using ::testing::HasSubstr;
using ::tick::testing::IsOk;
using ::tick::testing::StatusIs;

int32_t P(PartitionAlgorithm a, std::string_view key, int32_t n) {
  absl::StatusOr<int32_t> p = PartitionFor(a, key, n);
  EXPECT_THAT(p, IsOk()) << key;
  return p.ok() ? *p : -1;
}

TEST(ParsePartitionAlgorithmTest, Names) {
  EXPECT_EQ(*ParsePartitionAlgorithm(""), PartitionAlgorithm::kCrc32);
  EXPECT_EQ(*ParsePartitionAlgorithm("crc32"), PartitionAlgorithm::kCrc32);
  EXPECT_EQ(*ParsePartitionAlgorithm("murmur2"), PartitionAlgorithm::kMurmur2);
  EXPECT_EQ(*ParsePartitionAlgorithm("fnv-1a"), PartitionAlgorithm::kFnv1a);
  EXPECT_THAT(
      ParsePartitionAlgorithm("murmur3"),
      StatusIs(absl::StatusCode::kInvalidArgument, "invalid partition algorithm: \"murmur3\""));
  EXPECT_THAT(ParsePartitionAlgorithm("CRC32"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                         "invalid partition algorithm: \"CRC32\""));
  EXPECT_EQ(PartitionAlgorithmName(PartitionAlgorithm::kFnv1a), "fnv-1a");
  EXPECT_EQ(PartitionAlgorithmName(PartitionAlgorithm::kMurmur2), "murmur2");
  EXPECT_EQ(PartitionAlgorithmName(PartitionAlgorithm::kCrc32), "crc32");
}

TEST(PartitionForTest, KapacitorCrc32Vectors) {
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "hello", 1000), 870);
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "hello2", 1000), 502);
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "hello3", 1000), 592);
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "hello4", 1000), 787);
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "hello5", 1000), 413);
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "hello5", 1), 0);
  EXPECT_THAT(
      PartitionFor(PartitionAlgorithm::kCrc32, "hello", 0),
      StatusIs(absl::StatusCode::kInvalidArgument, "number of partitions must be positive"));
  EXPECT_THAT(PartitionFor(PartitionAlgorithm::kCrc32, "", 10),
              StatusIs(absl::StatusCode::kFailedPrecondition, "empty key is placed at random"));
  EXPECT_TRUE(IsRandomPlacement(PartitionAlgorithm::kCrc32, ""));
  EXPECT_FALSE(IsRandomPlacement(PartitionAlgorithm::kMurmur2, ""));
  EXPECT_FALSE(IsRandomPlacement(PartitionAlgorithm::kFnv1a, ""));
  EXPECT_FALSE(IsRandomPlacement(PartitionAlgorithm::kCrc32, "x"));
  // semantics §5.5 (N=3).
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "kapacitor/cpu/serverA", 3), 1);
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "id", 3), 2);
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "serverA", 3), 1);
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "serverB", 3), 0);
  EXPECT_EQ(P(PartitionAlgorithm::kCrc32, "serverC", 3), 2);
}

TEST(PartitionForTest, KapacitorMurmur2Vectors) {
  EXPECT_EQ(P(PartitionAlgorithm::kMurmur2, "hello", 1000), 229);
  EXPECT_EQ(P(PartitionAlgorithm::kMurmur2, "hello2", 1000), 907);
  EXPECT_EQ(P(PartitionAlgorithm::kMurmur2, "hello3", 1000), 759);
  EXPECT_EQ(P(PartitionAlgorithm::kMurmur2, "hello4", 1000), 299);
  EXPECT_EQ(P(PartitionAlgorithm::kMurmur2, "hello5", 1000), 841);
  EXPECT_EQ(P(PartitionAlgorithm::kMurmur2, "", 1000), 681);
  EXPECT_EQ(P(PartitionAlgorithm::kMurmur2, "hello5", 1), 0);
  EXPECT_THAT(
      PartitionFor(PartitionAlgorithm::kMurmur2, "hello", 0),
      StatusIs(absl::StatusCode::kInvalidArgument, "number of partitions must be positive"));
}

TEST(PartitionForTest, Murmur2RawHashes) {
  // hash_test.go: Java signed int32 values.
  EXPECT_EQ(static_cast<int32_t>(Murmur2("21")), -973932308);
  EXPECT_EQ(static_cast<int32_t>(Murmur2("foobar")), -790332482);
  EXPECT_EQ(static_cast<int32_t>(Murmur2("a-little-bit-long-string")), -985981536);
  EXPECT_EQ(static_cast<int32_t>(Murmur2("a-little-bit-longer-string")), -1486304829);
  EXPECT_EQ(static_cast<int32_t>(Murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")),
            -58897971);
  EXPECT_EQ(static_cast<int32_t>(Murmur2("abc")), 479470107);
  EXPECT_EQ(Murmur2("kafka"), 0xd067cf64u);  // librdkafka's unit-test constant
}

TEST(PartitionForTest, Fnv1aVectors) {
  EXPECT_EQ(P(PartitionAlgorithm::kFnv1a, "hello", 1000), 723);
  EXPECT_EQ(P(PartitionAlgorithm::kFnv1a, "hello2", 1000), 133);
  EXPECT_EQ(P(PartitionAlgorithm::kFnv1a, "hello3", 1000), 752);
  EXPECT_EQ(P(PartitionAlgorithm::kFnv1a, "hello4", 1000), 419);
  EXPECT_EQ(P(PartitionAlgorithm::kFnv1a, "hello5", 1000), 38);
  EXPECT_EQ(P(PartitionAlgorithm::kFnv1a, "", 1000), 35);
  EXPECT_EQ(P(PartitionAlgorithm::kFnv1a, "id", 3), 0);
}

TEST(PartitionForTest, RawHashTable) {
  // kafka-testing.md §3 raw hashes (fnv1a column is abs(int32)).
  auto abs32 = [](uint32_t h) {
    int32_t s = static_cast<int32_t>(h);
    return static_cast<uint32_t>(s < 0 ? -static_cast<int64_t>(s) : s);
  };
  EXPECT_EQ(Crc32Ieee("cpu:nil"), 0x30c6e80au);
  EXPECT_EQ(Murmur2("cpu:nil"), 0x7b0d97a4u);
  EXPECT_EQ(abs32(Fnv1a32("cpu:nil")), 0x114f4d68u);
  EXPECT_EQ(Crc32Ieee("server01"), 0x7b1e1e3bu);
  EXPECT_EQ(Murmur2("server01"), 0x980ae3abu);
  EXPECT_EQ(abs32(Fnv1a32("server01")), 0x2b189d2bu);
  EXPECT_EQ(Crc32Ieee("a"), 0xe8b7be43u);
  EXPECT_EQ(Murmur2("a"), 0xa2d0b27cu);
  EXPECT_EQ(abs32(Fnv1a32("a")), 0x1bf3d6d4u);
  EXPECT_EQ(Crc32Ieee(""), 0u);
  EXPECT_EQ(Murmur2(""), 0x106e08d9u);
  EXPECT_EQ(abs32(Fnv1a32("")), 0x7ee3623bu);
}

struct SixRow {
  const char* key;
  int crc32, murmur2, fnv1a;
};
// kafka-testing.md §3, N=6 (consistent / murmur2 / fnv1a columns; crc32 of "" is random for us).
const SixRow kSix[] = {
    {"cpu:nil", 2, 4, 4},  {"server01", 5, 3, 3}, {"a", 3, 4, 0},
    {"server02", 1, 4, 0}, {"alert", 5, 1, 3},    {"disk:/var", 4, 3, 0},
    {"mem:high", 3, 0, 4}, {"0", 5, 2, 3},        {"host-123.example.com", 0, 2, 3},
};

TEST(PartitionForTest, SixPartitionTable) {
  for (const SixRow& r : kSix) {
    EXPECT_EQ(P(PartitionAlgorithm::kCrc32, r.key, 6), r.crc32) << r.key;
    EXPECT_EQ(P(PartitionAlgorithm::kMurmur2, r.key, 6), r.murmur2) << r.key;
    EXPECT_EQ(P(PartitionAlgorithm::kFnv1a, r.key, 6), r.fnv1a) << r.key;
  }
  EXPECT_EQ(P(PartitionAlgorithm::kMurmur2, "", 6), 3);
  EXPECT_EQ(P(PartitionAlgorithm::kFnv1a, "", 6), 3);
}

// librdkafka's built-in deterministic partitioners agree with the pure functions, which is why the
// producer uses them (consistent_random for crc32, murmur2, fnv1a).
TEST(PartitionForTest, LibrdkafkaBuiltinsMatch) {
  std::vector<std::string> keys = {"", "a", "hello", "cpu:nil", "server01", "x\xff\x80y"};
  for (int i = 0; i < 2000; ++i) keys.push_back("cpu:host=server" + std::to_string(i));
  for (int32_t n : {1, 3, 6, 7, 1000, 2147483647}) {
    for (const std::string& k : keys) {
      if (!k.empty()) {
        EXPECT_EQ(
            rd_kafka_msg_partitioner_consistent(nullptr, k.data(), k.size(), n, nullptr, nullptr),
            P(PartitionAlgorithm::kCrc32, k, n))
            << k << " " << n;
      }
      EXPECT_EQ(rd_kafka_msg_partitioner_murmur2(nullptr, k.data(), k.size(), n, nullptr, nullptr),
                P(PartitionAlgorithm::kMurmur2, k, n))
          << k << " " << n;
      EXPECT_EQ(rd_kafka_msg_partitioner_fnv1a(nullptr, k.data(), k.size(), n, nullptr, nullptr),
                P(PartitionAlgorithm::kFnv1a, k, n))
          << k << " " << n;
    }
  }
}

TEST(PartitionForTest, Fnv1aNegativeHashIsAbsOfTruncatedRemainder) {
  // Find a key whose FNV-1a hash is negative as int32 and check sarama's rule by hand.
  for (int i = 0; i < 100; ++i) {
    const std::string k = "k" + std::to_string(i);
    const int32_t h = static_cast<int32_t>(Fnv1a32(k));
    if (h >= 0) continue;
    const int64_t expect = -(static_cast<int64_t>(h) % 7);
    EXPECT_EQ(P(PartitionAlgorithm::kFnv1a, k, 7), expect) << k;
    return;
  }
  FAIL() << "no negative FNV-1a hash among 100 keys";
}

}  // namespace
}  // namespace tick::kafka
