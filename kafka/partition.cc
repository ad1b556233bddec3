// File: kafka/partition.cc
#include "kafka/partition.h"

#include <array>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/strings.h"

namespace tick::kafka {
namespace {

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
    table[i] = c;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

}  // namespace

absl::StatusOr<PartitionAlgorithm> ParsePartitionAlgorithm(std::string_view name) {
  if (name.empty() || name == "crc32") return PartitionAlgorithm::kCrc32;
  if (name == "murmur2") return PartitionAlgorithm::kMurmur2;
  if (name == "fnv-1a") return PartitionAlgorithm::kFnv1a;
  return absl::InvalidArgumentError(
      absl::StrCat("invalid partition algorithm: \"", Sv(name), "\""));
}

std::string_view PartitionAlgorithmName(PartitionAlgorithm algorithm) {
  switch (algorithm) {
    case PartitionAlgorithm::kCrc32:
      return "crc32";
    case PartitionAlgorithm::kMurmur2:
      return "murmur2";
    case PartitionAlgorithm::kFnv1a:
      return "fnv-1a";
  }
  return "crc32";
}

uint32_t Crc32Ieee(std::string_view key) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : key) c = kCrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint32_t Murmur2(std::string_view key) {
  constexpr uint32_t kSeed = 0x9747b28c;
  constexpr uint32_t kM = 0x5bd1e995;
  constexpr int kR = 24;
  const size_t len = key.size();
  uint32_t h = kSeed ^ static_cast<uint32_t>(len);
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  size_t i = 0;
  for (; i + 4 <= len; i += 4) {
    uint32_t k = static_cast<uint32_t>(data[i]) | (static_cast<uint32_t>(data[i + 1]) << 8) |
                 (static_cast<uint32_t>(data[i + 2]) << 16) |
                 (static_cast<uint32_t>(data[i + 3]) << 24);
    k *= kM;
    k ^= k >> kR;
    k *= kM;
    h *= kM;
    h ^= k;
  }
  switch (len - i) {
    case 3:
      h ^= static_cast<uint32_t>(data[i + 2]) << 16;
      [[fallthrough]];
    case 2:
      h ^= static_cast<uint32_t>(data[i + 1]) << 8;
      [[fallthrough]];
    case 1:
      h ^= static_cast<uint32_t>(data[i]);
      h *= kM;
  }
  h ^= h >> 13;
  h *= kM;
  h ^= h >> 15;
  return h;
}

uint32_t Fnv1a32(std::string_view key) {
  uint32_t h = 2166136261u;
  for (unsigned char b : key) {
    h ^= b;
    h *= 16777619u;
  }
  return h;
}

bool IsRandomPlacement(PartitionAlgorithm algorithm, std::string_view key) {
  return algorithm == PartitionAlgorithm::kCrc32 && key.empty();
}

absl::StatusOr<int32_t> PartitionFor(PartitionAlgorithm algorithm, std::string_view key,
                                     int32_t partitions) {
  if (partitions <= 0) return absl::InvalidArgumentError("number of partitions must be positive");
  const uint32_t n = static_cast<uint32_t>(partitions);
  switch (algorithm) {
    case PartitionAlgorithm::kCrc32:
      if (key.empty()) return absl::FailedPreconditionError("empty key is placed at random");
      return static_cast<int32_t>((Crc32Ieee(key) % n) & 0x7fffffffu);
    case PartitionAlgorithm::kMurmur2:
      return static_cast<int32_t>((Murmur2(key) & 0x7fffffffu) % n);
    case PartitionAlgorithm::kFnv1a: {
      // sarama: int32(hash) % N with Go's truncated remainder, negated when negative.
      const int32_t h = static_cast<int32_t>(Fnv1a32(key));
      int64_t p = static_cast<int64_t>(h) % static_cast<int64_t>(partitions);
      if (p < 0) p = -p;
      return static_cast<int32_t>(p);
    }
  }
  return absl::InternalError("unknown partition algorithm");
}

}  // namespace tick::kafka
