#include "nodes/point.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <utility>

namespace tick::nodes {

namespace {

constexpr size_t kFirstChunkBytes = 256;

bool NameLess(SymbolId a, SymbolId b) { return SymbolName(a) < SymbolName(b); }

}  // namespace

// ---- storage ------------------------------------------------------------------------------

char* Point::Allocate(size_t n) {
  if (n == 0) return nullptr;
  while (chunk_index_ < chunks_.size()) {
    Chunk& c = chunks_[chunk_index_];
    if (c.size - chunk_used_ >= n) {
      char* p = c.data.get() + chunk_used_;
      chunk_used_ += n;
      return p;
    }
    if (chunk_index_ + 1 == chunks_.size()) break;
    ++chunk_index_;
    chunk_used_ = 0;
  }
  const size_t last = chunks_.empty() ? kFirstChunkBytes / 2 : chunks_.back().size;
  const size_t size = std::max(n, 2 * last);
  chunks_.push_back(Chunk{std::make_unique_for_overwrite<char[]>(size), size});
  chunk_index_ = chunks_.size() - 1;
  chunk_used_ = n;
  return chunks_.back().data.get();
}

std::string_view Point::CopyString(std::string_view s) {
  if (s.empty()) return std::string_view();
  char* p = Allocate(s.size());
  std::memcpy(p, s.data(), s.size());
  return std::string_view(p, s.size());
}

size_t Point::arena_capacity() const {
  size_t total = 0;
  for (const Chunk& c : chunks_) total += c.size;
  return total;
}

void Point::Clear() {
  measurement_ = database_ = retention_policy_ = std::string_view();
  time_ = 0;
  tags_.clear();
  fields_.clear();
  if (chunks_.size() > 1) {
    // The point outgrew its first chunk: replace all chunks by one that holds everything, so
    // the next use of the same size fits without allocating.
    const size_t total = arena_capacity();
    chunks_.clear();
    chunks_.push_back(Chunk{std::make_unique_for_overwrite<char[]>(total), total});
  }
  chunk_index_ = 0;
  chunk_used_ = 0;
}

Point::Point(const Point& other) { *this = other; }

Point& Point::operator=(const Point& other) {
  if (this == &other) return *this;
  Clear();
  // Reserve all bytes up front so the copy lives in one chunk.
  size_t bytes =
      other.measurement_.size() + other.database_.size() + other.retention_policy_.size();
  for (const Tag& t : other.tags_) bytes += t.value.size();
  for (const Field& f : other.fields_) {
    if (f.value.kind() == interp::ValueKind::kString) bytes += f.value.string_value().size();
  }
  if (bytes > 0 && (chunks_.empty() || chunks_[0].size < bytes)) {
    chunks_.clear();
    chunks_.push_back(Chunk{std::make_unique_for_overwrite<char[]>(bytes), bytes});
  }
  measurement_ = CopyString(other.measurement_);
  database_ = CopyString(other.database_);
  retention_policy_ = CopyString(other.retention_policy_);
  time_ = other.time_;
  tags_.reserve(other.tags_.size());
  for (const Tag& t : other.tags_) tags_.push_back(Tag{t.key, CopyString(t.value)});
  fields_.reserve(other.fields_.size());
  for (const Field& f : other.fields_) {
    if (f.value.kind() == interp::ValueKind::kString) {
      fields_.push_back(Field{f.key, interp::Value::String(CopyString(f.value.string_value()))});
    } else {
      fields_.push_back(f);
    }
  }
  return *this;
}

// ---- tags and fields ----------------------------------------------------------------------

const Tag* Point::FindTag(SymbolId key) const {
  for (const Tag& t : tags_) {
    if (t.key == key) return &t;
  }
  return nullptr;
}

const Field* Point::FindField(SymbolId key) const {
  for (const Field& f : fields_) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

void Point::SetTag(SymbolId key, std::string_view value) {
  const std::string_view stored = CopyString(value);
  auto it = std::lower_bound(tags_.begin(), tags_.end(), key,
                             [](const Tag& t, SymbolId k) { return NameLess(t.key, k); });
  if (it != tags_.end() && it->key == key) {
    it->value = stored;
  } else {
    tags_.insert(it, Tag{key, stored});
  }
}

void Point::SetField(SymbolId key, interp::Value value) {
  if (value.kind() == interp::ValueKind::kString) {
    value = interp::Value::String(CopyString(value.string_value()));
  }
  auto it = std::lower_bound(fields_.begin(), fields_.end(), key,
                             [](const Field& f, SymbolId k) { return NameLess(f.key, k); });
  if (it != fields_.end() && it->key == key) {
    it->value = value;
  } else {
    fields_.insert(it, Field{key, value});
  }
}

bool Point::RemoveTag(SymbolId key) {
  auto it = std::find_if(tags_.begin(), tags_.end(), [key](const Tag& t) { return t.key == key; });
  if (it == tags_.end()) return false;
  tags_.erase(it);
  return true;
}

bool Point::RemoveField(SymbolId key) {
  auto it =
      std::find_if(fields_.begin(), fields_.end(), [key](const Field& f) { return f.key == key; });
  if (it == fields_.end()) return false;
  fields_.erase(it);
  return true;
}

bool operator==(const Point& a, const Point& b) {
  return a.measurement_ == b.measurement_ && a.database_ == b.database_ &&
         a.retention_policy_ == b.retention_policy_ && a.time_ == b.time_ && a.tags_ == b.tags_ &&
         a.fields_ == b.fields_;
}

// ---- text ---------------------------------------------------------------------------------

namespace {

// Appends `s` with a backslash before every byte in `specials`.
void AppendEscaped(std::string_view s, std::string_view specials, std::string* out) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (specials.find(s[i]) != std::string_view::npos) {
      out->append(s.data() + start, i - start);
      out->push_back('\\');
      start = i;
    }
  }
  out->append(s.data() + start, s.size() - start);
}

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

void AppendUint(uint64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

}  // namespace

void AppendFieldValue(const interp::Value& v, std::string* out) {
  switch (v.kind()) {
    case interp::ValueKind::kFloat: {
      const double d = v.float_value();
      if (std::isnan(d)) {
        out->append("NaN");
        return;
      }
      if (std::isinf(d)) {
        out->append(d > 0 ? "+Inf" : "-Inf");
        return;
      }
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof(buf), d);
      const std::string_view s(buf, r.ptr - buf);
      out->append(s);
      if (s.find_first_of(".e") == std::string_view::npos) out->append(".0");
      return;
    }
    case interp::ValueKind::kInt:
      AppendInt(v.int_value(), out);
      out->push_back('i');
      return;
    case interp::ValueKind::kUint:
      AppendUint(v.uint_value(), out);
      out->push_back('u');
      return;
    case interp::ValueKind::kString:
      out->push_back('"');
      AppendEscaped(v.string_value(), "\"\\", out);
      out->push_back('"');
      return;
    case interp::ValueKind::kBool:
      out->append(v.bool_value() ? "true" : "false");
      return;
    case interp::ValueKind::kDuration:
    case interp::ValueKind::kTime:
      AppendInt(v.int_value(), out);
      out->push_back('i');
      return;
    default:
      out->append("<");
      out->append(interp::KindName(v.kind()));
      out->append(">");
      return;
  }
}

void AppendLineProtocol(const Point& p, std::string* out) {
  AppendEscaped(p.measurement(), ", ", out);
  for (const Tag& t : p.tags()) {
    out->push_back(',');
    AppendEscaped(SymbolName(t.key), ",= ", out);
    out->push_back('=');
    AppendEscaped(t.value, ",= ", out);
  }
  out->push_back(' ');
  bool first = true;
  for (const Field& f : p.fields()) {
    if (!first) out->push_back(',');
    first = false;
    AppendEscaped(SymbolName(f.key), ",= ", out);
    out->push_back('=');
    AppendFieldValue(f.value, out);
  }
  if (!first) out->push_back(' ');
  AppendInt(p.time(), out);
}

std::string ToLineProtocol(const Point& p) {
  std::string out;
  AppendLineProtocol(p, &out);
  return out;
}

std::string DebugString(const Point& p) {
  std::string out;
  if (p.database().empty()) {
    out.append("\"\"");
  } else {
    out.append(p.database());
  }
  out.push_back('.');
  if (p.retention_policy().empty()) {
    out.append("\"\"");
  } else {
    out.append(p.retention_policy());
  }
  out.push_back(' ');
  AppendLineProtocol(p, &out);
  return out;
}

}  // namespace tick::nodes
