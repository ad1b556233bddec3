#include "nodes/symbols.h"

#include <algorithm>
#include <cstring>

namespace tick::nodes {

// Name bytes live in blocks that are never moved or freed before the table dies.
struct SymbolTable::Block {
  Block* next;
  size_t size;
  // followed by `size` bytes
  char* bytes() { return reinterpret_cast<char*>(this + 1); }
};

namespace {
constexpr size_t kBlockBytes = 64 * 1024;
}  // namespace

SymbolTable& SymbolTable::Global() {
  static SymbolTable* table = new SymbolTable();  // never destroyed: views stay valid at exit
  return *table;
}

SymbolTable::SymbolTable() : pages_(std::make_unique<std::atomic<std::string_view*>[]>(kMaxPages)) {
  for (uint32_t i = 0; i < kMaxPages; ++i) pages_[i].store(nullptr, std::memory_order_relaxed);
  Intern("");
}

SymbolTable::~SymbolTable() {
  const uint32_t n = size_.load();
  for (uint32_t p = 0; p * kPageSize < n; ++p) delete[] pages_[p].load();
  absl::MutexLock lock(&mu_);
  while (blocks_ != nullptr) {
    Block* next = blocks_->next;
    ::operator delete(blocks_);
    blocks_ = next;
  }
}

std::string_view SymbolTable::StoreName(std::string_view name) {
  if (name.empty()) return std::string_view();
  if (name.size() > block_left_) {
    const size_t size = std::max(kBlockBytes, name.size());
    auto* block = static_cast<Block*>(::operator new(sizeof(Block) + size));
    block->next = blocks_;
    block->size = size;
    blocks_ = block;
    block_cursor_ = block->bytes();
    block_left_ = size;
  }
  char* dst = block_cursor_;
  std::memcpy(dst, name.data(), name.size());
  block_cursor_ += name.size();
  block_left_ -= name.size();
  return std::string_view(dst, name.size());
}

SymbolId SymbolTable::Intern(std::string_view name) {
  absl::MutexLock lock(&mu_);
  auto it = ids_.find(name);
  if (it != ids_.end()) return it->second;
  const uint32_t id = size_.load(std::memory_order_relaxed);
  const uint32_t page = id >> kPageBits;
  if (page >= kMaxPages) std::abort();  // 64M distinct names: a runaway producer
  if ((id & (kPageSize - 1)) == 0) {
    pages_[page].store(new std::string_view[kPageSize], std::memory_order_release);
  }
  const std::string_view stored = StoreName(name);
  // The page array is written before size_ is published; readers only see ids they got from
  // Intern() (or from another thread after synchronizing with it).
  pages_[page].load(std::memory_order_relaxed)[id & (kPageSize - 1)] = stored;
  ids_.emplace(stored, id);
  size_.store(id + 1, std::memory_order_release);
  return id;
}

std::optional<SymbolId> SymbolTable::Find(std::string_view name) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = ids_.find(name);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

}  // namespace tick::nodes
