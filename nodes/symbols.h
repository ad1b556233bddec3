// File: nodes/symbols.h
//
// SymbolTable: process-wide interning of tag keys, field keys (and any other short names nodes
// want to compare by integer).
//
//   const SymbolId usage = SymbolTable::Global().Intern("usage_idle");
//   if (const Field* f = point.FindField(usage)) ...
//
// A SymbolId is a dense index (0, 1, 2, ...) valid for the life of the process; id 0 is always
// the empty name "". Names are stored in stable storage: the std::string_view returned by Name()
// stays valid forever. Intern() is thread-safe (absl::Mutex); Name() and Find() are safe to call
// concurrently with Intern(): Name() is lock-free, Find() takes a reader lock.
//
// Ordering: ids are assigned in first-intern order, so they do NOT sort like names. Containers
// that must be ordered by name (Point tags and fields) compare Name(a) < Name(b) byte-wise.
#ifndef TICK_NODES_SYMBOLS_H_
#define TICK_NODES_SYMBOLS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace tick::nodes {

using SymbolId = uint32_t;

// The id of the empty name "".
inline constexpr SymbolId kEmptySymbol = 0;

class SymbolTable final {
 public:
  // The process-wide table used by points and nodes.
  static SymbolTable& Global();

  SymbolTable();
  ~SymbolTable();
  SymbolTable(const SymbolTable&) = delete;
  SymbolTable& operator=(const SymbolTable&) = delete;

  // Returns the id of `name`, adding it if new. Thread-safe.
  SymbolId Intern(std::string_view name);

  // Returns the id of `name` if it was interned before, without adding it. Thread-safe.
  std::optional<SymbolId> Find(std::string_view name) const;

  // The name of `id`. `id` must have been returned by Intern() (behaviour is undefined
  // otherwise). Lock-free; the view stays valid for the life of the table.
  std::string_view Name(SymbolId id) const {
    const std::string_view* page = pages_[id >> kPageBits].load(std::memory_order_acquire);
    return page[id & (kPageSize - 1)];
  }

  // Number of interned names (including "").
  uint32_t size() const { return size_.load(std::memory_order_acquire); }

 private:
  static constexpr uint32_t kPageBits = 12;
  static constexpr uint32_t kPageSize = 1u << kPageBits;  // names per page
  static constexpr uint32_t kMaxPages = 1u << 14;         // 64M names

  std::string_view StoreName(std::string_view name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string_view, SymbolId> ids_ ABSL_GUARDED_BY(mu_);
  // pages_[p] points to an array of kPageSize views; published with release stores.
  std::unique_ptr<std::atomic<std::string_view*>[]> pages_;
  std::atomic<uint32_t> size_{0};
  // Byte storage for names: blocks that are never freed or moved.
  struct Block;
  Block* blocks_ ABSL_GUARDED_BY(mu_) = nullptr;
  char* block_cursor_ ABSL_GUARDED_BY(mu_) = nullptr;
  size_t block_left_ ABSL_GUARDED_BY(mu_) = 0;
};

// Shorthands for the global table.
inline SymbolId Intern(std::string_view name) { return SymbolTable::Global().Intern(name); }
inline std::string_view SymbolName(SymbolId id) { return SymbolTable::Global().Name(id); }

}  // namespace tick::nodes

#endif  // TICK_NODES_SYMBOLS_H_
