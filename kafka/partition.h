// File: kafka/partition.h
//
// Kapacitor-compatible key -> partition mapping (services/kafka/hash.go, sarama):
//   crc32   (default): empty key -> random; else (crc32_IEEE(key) mod N) & 0x7fffffff.
//                      Same placement as librdkafka's `consistent_random` / confluent-kafka-go.
//   murmur2: (murmur2_java(key) & 0x7fffffff) mod N; an EMPTY key is hashed (not random).
//                      Same as the Java client and librdkafka's `murmur2(_random)`.
//   fnv-1a : int32(fnv1a_32(key)) % N (truncated), negated if negative — sarama's
//                      NewHashPartitioner; same as librdkafka's `fnv1a(_random)`; empty hashed.
// The producer hands librdkafka a per-message partitioner that dispatches to librdkafka's own
// rd_kafka_msg_partitioner_{consistent_random,murmur2_random,fnv1a_random}; the tests prove
// those match the pure functions below on Kapacitor's vectors.
//
// disablePartitionById: tickrun spreads messages uniformly at random over the partitions,
// regardless of the key, and still writes the key. (Kapacitor's code leaves sarama's default,
// which is FNV-1a on the key; its documentation promises "regardless of the message ID" — tickrun
// follows the documentation.)
#ifndef TICK_KAFKA_PARTITION_H_
#define TICK_KAFKA_PARTITION_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace tick::kafka {

enum class PartitionAlgorithm { kCrc32, kMurmur2, kFnv1a };

// "crc32" (also ""), "murmur2", "fnv-1a"; otherwise kInvalidArgument
// `invalid partition algorithm: "x"`.
absl::StatusOr<PartitionAlgorithm> ParsePartitionAlgorithm(std::string_view name);
// "crc32", "murmur2", "fnv-1a".
std::string_view PartitionAlgorithmName(PartitionAlgorithm algorithm);

// Raw hashes.
uint32_t Crc32Ieee(std::string_view key);
uint32_t Murmur2(std::string_view key);  // Kafka Java variant, seed 0x9747b28c
uint32_t Fnv1a32(std::string_view key);  // FNV-1a 32-bit (no abs)

// Deterministic partition of a non-random placement. `partitions` must be > 0, else
// kInvalidArgument `number of partitions must be positive`. For kCrc32 an empty key has no
// deterministic partition: returns kFailedPrecondition `empty key is placed at random`.
absl::StatusOr<int32_t> PartitionFor(PartitionAlgorithm algorithm, std::string_view key,
                                     int32_t partitions);

// True when `algorithm` places `key` at random (crc32 with an empty key).
bool IsRandomPlacement(PartitionAlgorithm algorithm, std::string_view key);

}  // namespace tick::kafka

#endif  // TICK_KAFKA_PARTITION_H_
