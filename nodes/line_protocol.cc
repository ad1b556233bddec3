#include "nodes/line_protocol.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"
#include "base/source.h"
#include "base/strings.h"

namespace tick::nodes {

namespace internal {

// The reader's privileged access to Point storage: it copies each record into the point's arena
// once, unescapes in place and appends tags/fields directly.
class PointBuilder {
 public:
  static char* Allocate(Point& p, size_t n) { return p.Allocate(n); }
  static std::vector<Tag>& tags(Point& p) { return p.tags_; }
  static std::vector<Field>& fields(Point& p) { return p.fields_; }
  static void SetMeasurementView(Point& p, std::string_view m) { p.measurement_ = m; }
  static void SetDatabaseView(Point& p, std::string_view db) { p.database_ = db; }
  static void SetRetentionPolicyView(Point& p, std::string_view rp) { p.retention_policy_ = rp; }
  // Clear(), except that the tag and field vectors keep their elements (LineParser::Parse
  // overwrites or clears them), so a line with as many tags and fields as the previous one
  // resizes nothing.
  static void ClearForParse(Point& p) {
    if (p.chunks_.size() > 1) {  // (rare: Clear() merges the arena's chunks)
      p.Clear();
      return;
    }
    p.measurement_ = p.database_ = p.retention_policy_ = std::string_view();
    p.time_ = 0;
    p.chunk_index_ = 0;
    p.chunk_used_ = 0;
  }
};

}  // namespace internal

using internal::PointBuilder;

std::optional<Precision> ParsePrecision(std::string_view s) {
  if (s == "ns" || s == "n") return Precision::kNanosecond;
  if (s == "us" || s == "u") return Precision::kMicrosecond;
  if (s == "ms") return Precision::kMillisecond;
  if (s == "s") return Precision::kSecond;
  if (s == "m") return Precision::kMinute;
  if (s == "h") return Precision::kHour;
  return std::nullopt;
}

const char* PrecisionName(Precision p) {
  switch (p) {
    case Precision::kNanosecond:
      return "ns";
    case Precision::kMicrosecond:
      return "us";
    case Precision::kMillisecond:
      return "ms";
    case Precision::kSecond:
      return "s";
    case Precision::kMinute:
      return "m";
    case Precision::kHour:
      return "h";
  }
  return "ns";
}

int64_t PrecisionNanos(Precision p) {
  switch (p) {
    case Precision::kNanosecond:
      return 1;
    case Precision::kMicrosecond:
      return 1'000;
    case Precision::kMillisecond:
      return 1'000'000;
    case Precision::kSecond:
      return 1'000'000'000;
    case Precision::kMinute:
      return 60'000'000'000;
    case Precision::kHour:
      return 3'600'000'000'000;
  }
  return 1;
}

namespace {

// Lines longer than this are shown as a window around the error column.
constexpr size_t kMaxShownLine = 160;
constexpr size_t kWindowBefore = 60;
constexpr size_t kWindowAfter = 60;
// Quoted tokens in messages are cut after this many bytes.
constexpr size_t kMaxQuoted = 40;

std::string FormatDiagnostic(std::string_view file, uint64_t line, size_t column,
                             std::string_view message, std::string_view text) {
  if (text.size() <= kMaxShownLine) {
    return FormatLineDiagnostic(file, static_cast<uint32_t>(line), static_cast<uint32_t>(column),
                                message, text);
  }
  const size_t at = column > 0 ? column - 1 : 0;
  const size_t begin = at > kWindowBefore ? at - kWindowBefore : 0;
  const size_t end = std::min(text.size(), at + kWindowAfter);
  std::string shown;
  if (begin > 0) shown.append("...");
  const size_t caret_column = shown.size() + (at - begin) + 1;
  shown.append(text.substr(begin, end - begin));
  if (end < text.size()) shown.append("...");
  std::string out = absl::StrCat(Sv(file), ":", line, ":", column, ": error: ", Sv(message), "\n");
  out.append(shown);
  out.push_back('\n');
  out.append(CaretLine(shown, static_cast<uint32_t>(caret_column)));
  return out;
}

// `"token"`, cut to kMaxQuoted bytes.
std::string Quote(std::string_view s) {
  if (s.size() > kMaxQuoted) return absl::StrCat("\"", Sv(s.substr(0, kMaxQuoted)), "...\"");
  return absl::StrCat("\"", Sv(s), "\"");
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Byte classes for the scanners.
enum : uint8_t {
  kComma = 1,
  kSpace = 2,
  kEquals = 4,
  kBackslash = 8,
  kNewline = 16,  // also the sentinel written after every record copy
  kQuote = 32,
};
constexpr uint8_t kMeasurementStop = kComma | kSpace | kBackslash | kNewline;
constexpr uint8_t kMeasurementEscapes = kComma | kSpace;
constexpr uint8_t kKeyStop = kComma | kSpace | kEquals | kBackslash | kNewline;
constexpr uint8_t kKeyEscapes = kComma | kSpace | kEquals;
constexpr uint8_t kValueStop = kComma | kSpace | kNewline;
constexpr uint8_t kStringStop = kQuote | kBackslash | kNewline;

struct ByteClasses {
  uint8_t c[256] = {};
  constexpr ByteClasses() {
    c[static_cast<uint8_t>(',')] = kComma;
    c[static_cast<uint8_t>(' ')] = kSpace;
    c[static_cast<uint8_t>('=')] = kEquals;
    c[static_cast<uint8_t>('\\')] = kBackslash;
    c[static_cast<uint8_t>('\n')] = kNewline;
    c[static_cast<uint8_t>('"')] = kQuote;
  }
};
constexpr ByteClasses kClasses;

inline uint8_t ClassOf(char c) { return kClasses.c[static_cast<uint8_t>(c)]; }

// Scans an escaped token (measurement, tag key/value, field key) from buf[i], unescaping in
// place into buf[start, w). Stops at (and does not consume) an unescaped byte in `stop` other
// than a backslash, or at the end (i == n). buf[n] must be '\n' (the sentinel).
inline void ScanToken(char* buf, size_t n, size_t& i, size_t& w, uint8_t stop, uint8_t escapes) {
  for (;;) {
    size_t j = i;
    while (!(ClassOf(buf[j]) & stop)) ++j;
    if (w != i) std::memmove(buf + w, buf + i, j - i);
    w += j - i;
    i = j;
    if (i >= n) return;
    const char c = buf[i];
    if (c == '\\') {
      if (i + 1 < n && (ClassOf(buf[i + 1]) & escapes)) {
        buf[w++] = buf[i + 1];
        i += 2;
      } else {
        buf[w++] = '\\';
        i += 1;
      }
      continue;
    }
    if (c == '\n') {  // a newline inside a record is ordinary content here
      buf[w++] = c;
      ++i;
      continue;
    }
    return;
  }
}

inline uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Symbol lookup without the global lock: first the key seen at the same position of the
// previous line (`slot`), then a direct-mapped hash cache, then the global table.
class KeyCache {
 public:
  static constexpr size_t kSlots = 128;

  KeyCache()
      : entries_(std::make_unique<Entry[]>(kSize)), slots_(std::make_unique<Entry[]>(kSlots)) {}

  // The common case (same key as the previous line at this position) is inlined.
  SymbolId Intern(std::string_view key, size_t slot) {
    if (slot < kSlots) {
      const Entry& s = slots_[slot];
      if (s.Matches(key)) return s.id;
    }
    return InternSlow(key, slot);
  }

 private:
  ABSL_ATTRIBUTE_NOINLINE SymbolId InternSlow(std::string_view key, size_t slot) {
    Entry* s = slot < kSlots ? &slots_[slot] : nullptr;
    Entry& e = entries_[Hash(key) & (kSize - 1)];
    if (!e.Matches(key)) {
      const SymbolId id = SymbolTable::Global().Intern(key);
      const std::string_view stored = SymbolName(id);
      e.valid = true;
      e.name = stored.data();
      e.len = stored.size();
      e.id = id;
    }
    if (s != nullptr) *s = e;
    return e.id;
  }

  struct Entry {
    const char* name = nullptr;
    size_t len = 0;
    SymbolId id = 0;
    bool valid = false;
    bool Matches(std::string_view key) const {
      return valid && len == key.size() &&
             tick::BytesEqual(std::string_view(name, len), std::string_view(key.data(), len));
    }
  };
  static constexpr size_t kSize = 4096;

  static uint64_t Hash(std::string_view s) {
    const char* p = s.data();
    const size_t n = s.size();
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    if (n >= 8) {
      size_t k = 0;
      for (; k + 8 <= n; k += 8) h = ((h ^ Load8(p + k)) * 0xff51afd7ed558ccdull) ^ (h >> 29);
      h ^= Load8(p + n - 8);  // overlapping tail
    } else if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      h ^= (uint64_t{a} << 32) | b;
    } else if (n > 0) {
      h ^= (uint64_t{static_cast<uint8_t>(p[0])} << 16) |
           (uint64_t{static_cast<uint8_t>(p[n / 2])} << 8) | static_cast<uint8_t>(p[n - 1]);
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 32;
    return h;
  }

  std::unique_ptr<Entry[]> entries_;
  std::unique_ptr<Entry[]> slots_;
};

// Remembers, for one key sequence, the permutation that sorts it by name (and drops duplicate
// fields), so lines with a recently seen schema skip all name comparisons. The caches are
// 2-way set associative with LRU replacement, so a few schemas used in turn (e.g. lines with
// 2 to 10 fields) stay cached.
struct SchemaCache {
  std::vector<SymbolId> ids;    // key ids in line order
  size_t size = 0;              // ids.size()
  std::vector<uint32_t> order;  // input indices in output order
  uint64_t hash = 0;
  bool identity = false;
  bool valid = false;

  static constexpr size_t kSets = 64;
  static constexpr size_t kEntries = 2 * kSets;
  static uint64_t Hash(const SymbolId* keys, size_t count) {
    uint64_t h = count;
    for (size_t k = 0; k < count; ++k) h = (h ^ keys[k]) * 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
  }
  bool Same(uint64_t h, const SymbolId* keys, size_t count) const {
    return hash == h && SameKeys(keys, count);
  }
  bool SameKeys(const SymbolId* keys, size_t count) const {
    if (!valid || size != count) return false;
    for (size_t k = 0; k < count; ++k) {  // (inline: schemas are short)
      if (ids[k] != keys[k]) return false;
    }
    return true;
  }
  // The entry for `keys` in `table`: a valid one on a hit; otherwise the least recently used
  // entry of the set, marked invalid, for the caller to fill.
  static SchemaCache& Lookup(SchemaCache* table, const SymbolId* keys, size_t count) {
    const uint64_t h = Hash(keys, count);
    SchemaCache* set = table + 2 * ((h >> 40) & (kSets - 1));
    if (set[0].Same(h, keys, count)) return set[0];
    std::swap(set[0], set[1]);  // set[0] is now the other (or least recently used) entry
    if (set[0].Same(h, keys, count)) return set[0];
    set[0].valid = false;
    set[0].hash = h;
    return set[0];
  }
};

enum class ParseResult { kOk, kError, kNeedMore };

// Parses one record (a line, or several lines when a string value contains newlines) into a
// point. Positions in errors are byte offsets into the record.
class LineParser {
 public:
  explicit LineParser(int64_t precision_nanos, Precision precision)
      : multiplier_(precision_nanos), precision_(precision) {}

  // `point` must be Clear()ed (database/retention policy may be set; its tag and field vectors
  // may hold anything: Parse overwrites them). With `more_input`, a string still open at the end
  // of `rec` returns kNeedMore instead of an error. `readable` (>= rec.size()) is how many bytes
  // from rec.data() may be read: when it leaves kScanPadding bytes after the record, the fast
  // path reads the record where it is and the point's strings view `rec`'s bytes (so they are
  // valid only as long as those bytes are); otherwise the record is copied into the point.
  ParseResult Parse(std::string_view rec, size_t readable, bool more_input, int64_t default_time,
                    Point& point);

  // Testing hook: false makes Parse use only the general parser.
  void set_fast_path(bool on) { fast_path_ = on; }

  size_t error_offset() const { return error_offset_; }
  const std::string& error_message() const { return error_message_; }

 private:
  ParseResult Fail(size_t offset, std::string message) {
    error_offset_ = offset;
    error_message_ = std::move(message);
    return ParseResult::kError;
  }
  // The fast path for the common record shape: no escapes, no string values, single spaces
  // between sections, valid values. buf[n, n + kScanPadding) must be readable (any content).
  // Returns false (with `point`'s tags and fields possibly partly filled) when the general parser
  // must decide.
  bool FastParse(const char* buf, size_t n, int64_t default_time, Point& point);
  // Parses buf[0, n) (buf[n] == '\n', the sentinel) with every rule and diagnostic.
  ParseResult ParseGeneral(char* buf, size_t n, bool more_input, int64_t default_time,
                           Point& point);
  // Parses the unquoted value token `tok` (at offset `at`) of field `key`.
  bool ParseScalar(std::string_view tok, size_t at, std::string_view key, interp::Value* out);
  bool ParseTimestamp(std::string_view tok, size_t at, int64_t* out);
  // The cached name order of key_ids_[0, count) for tags (nullptr with the error set on a
  // duplicate key) and for fields (duplicates dropped, the last one kept).
  const SchemaCache* TagOrder(size_t count);
  const SchemaCache* FieldOrder(size_t count);
  // Sorts the tags by name; false (with the error set) on a duplicate key.
  bool FinishTags(std::vector<Tag>& tags);
  // Sorts the fields by name, keeping the last of duplicate keys.
  void FinishFields(std::vector<Field>& fields);

  int64_t multiplier_;
  Precision precision_;
  KeyCache keys_;
  std::vector<SymbolId> key_ids_;    // scratch: keys in line order
  std::vector<size_t> tag_offsets_;  // line order, for duplicate errors
  std::vector<Tag> tmp_tags_;
  std::vector<Field> tmp_fields_;
  std::unique_ptr<SchemaCache[]> tag_schemas_ =
      std::make_unique<SchemaCache[]>(SchemaCache::kEntries);
  std::unique_ptr<SchemaCache[]> field_schemas_ =
      std::make_unique<SchemaCache[]>(SchemaCache::kEntries);
  // The entries the previous TagOrder / FieldOrder returned (or filled).
  const SchemaCache* last_tags_ = &tag_schemas_[0];
  const SchemaCache* last_fields_ = &field_schemas_[0];
  std::string scratch_;
  std::vector<uint64_t> masks_;  // FastParse's structural bitmap
  // FastParse's tags and fields in line order (keys in key_ids_).
  std::vector<std::string_view> tag_values_;
  std::vector<interp::Value> field_values_;
  // FastParse's key_ids_, tag_values_ and field_values_ all have at least this many elements.
  size_t scratch_size_ = 0;
  void GrowScratch() {
    scratch_size_ = 2 * scratch_size_ + 16;
    if (key_ids_.size() < scratch_size_) key_ids_.resize(scratch_size_);
    tag_values_.resize(scratch_size_);
    field_values_.resize(scratch_size_);
  }
  bool fast_path_ = true;
  size_t error_offset_ = 0;
  std::string error_message_;
};

bool NameLess(SymbolId a, SymbolId b) { return SymbolName(a) < SymbolName(b); }

// Stable sort of indices [0, count) by key name: insertion sort for the usual few keys.
template <typename KeyOf>
void SortOrder(std::vector<uint32_t>& order, size_t count, KeyOf key_of) {
  order.resize(count);
  for (size_t k = 0; k < count; ++k) order[k] = static_cast<uint32_t>(k);
  auto less = [&](uint32_t a, uint32_t b) { return NameLess(key_of(a), key_of(b)); };
  if (count > 32) {
    std::stable_sort(order.begin(), order.end(), less);
    return;
  }
  for (size_t k = 1; k < count; ++k) {
    const uint32_t x = order[k];
    size_t j = k;
    while (j > 0 && less(x, order[j - 1])) {
      order[j] = order[j - 1];
      --j;
    }
    order[j] = x;
  }
}

bool IsIdentity(const std::vector<uint32_t>& order, size_t count) {
  if (order.size() != count) return false;
  for (size_t k = 0; k < count; ++k) {
    if (order[k] != k) return false;
  }
  return true;
}

const SchemaCache* LineParser::TagOrder(size_t count) {
  // Most lines repeat the previous line's keys: check that entry before hashing. (Entries only
  // move between slots of the table, and SameKeys checks the whole key sequence, so a stale
  // pointer is never wrong, only a miss.)
  if (last_tags_->SameKeys(key_ids_.data(), count)) return last_tags_;
  SchemaCache& sc = SchemaCache::Lookup(tag_schemas_.get(), key_ids_.data(), count);
  last_tags_ = &sc;
  if (sc.valid) return &sc;
  SortOrder(sc.order, count, [&](uint32_t k) { return key_ids_[k]; });
  for (size_t k = 1; k < count; ++k) {
    if (key_ids_[sc.order[k]] != key_ids_[sc.order[k - 1]]) continue;
    // Report the later occurrence in the line (stable sort: order[k] is the later one).
    const SymbolId dup = key_ids_[sc.order[k]];
    // (The fast path records no offsets: its failures are re-parsed by the general parser.)
    const size_t at = sc.order[k] < tag_offsets_.size() ? tag_offsets_[sc.order[k]] : 0;
    Fail(at, absl::StrCat("duplicate tag key ", Quote(SymbolName(dup))));
    return nullptr;
  }
  sc.ids.assign(key_ids_.begin(), key_ids_.begin() + count);
  sc.size = count;
  sc.identity = IsIdentity(sc.order, count);
  sc.valid = true;
  return &sc;
}

const SchemaCache* LineParser::FieldOrder(size_t count) {
  if (last_fields_->SameKeys(key_ids_.data(), count)) return last_fields_;  // as in TagOrder
  SchemaCache& sc = SchemaCache::Lookup(field_schemas_.get(), key_ids_.data(), count);
  last_fields_ = &sc;
  if (sc.valid) return &sc;
  SortOrder(sc.order, count, [&](uint32_t k) { return key_ids_[k]; });
  // Equal keys are adjacent and in line order: keep the last of each run.
  size_t out = 0;
  for (size_t k = 0; k < count; ++k) {
    if (k + 1 < count && key_ids_[sc.order[k + 1]] == key_ids_[sc.order[k]]) continue;
    sc.order[out++] = sc.order[k];
  }
  sc.order.resize(out);
  sc.ids.assign(key_ids_.begin(), key_ids_.begin() + count);
  sc.size = count;
  sc.identity = IsIdentity(sc.order, count);
  sc.valid = true;
  return &sc;
}

bool LineParser::FinishTags(std::vector<Tag>& tags) {
  const size_t count = tags.size();
  if (key_ids_.size() < count) key_ids_.resize(count);
  for (size_t k = 0; k < count; ++k) key_ids_[k] = tags[k].key;
  const SchemaCache* sc = TagOrder(count);
  if (sc == nullptr) return false;
  if (!sc->identity) {
    tmp_tags_.assign(tags.begin(), tags.end());
    for (size_t k = 0; k < count; ++k) tags[k] = tmp_tags_[sc->order[k]];
  }
  return true;
}

void LineParser::FinishFields(std::vector<Field>& fields) {
  const size_t count = fields.size();
  if (key_ids_.size() < count) key_ids_.resize(count);
  for (size_t k = 0; k < count; ++k) key_ids_[k] = fields[k].key;
  const SchemaCache* sc = FieldOrder(count);
  if (!sc->identity) {
    tmp_fields_.assign(fields.begin(), fields.end());
    fields.resize(sc->order.size());
    for (size_t k = 0; k < sc->order.size(); ++k) fields[k] = tmp_fields_[sc->order[k]];
  }
}

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// The value of 8 ASCII digits loaded little-endian (first digit in the low byte).
inline uint64_t Parse8Digits(uint64_t w) {
  w -= 0x3030303030303030ull;
  w = (w * 10) + (w >> 8);
  return (((w & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
          (((w >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
         32;
}

constexpr uint64_t kPow10Int[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// Appends the run of ASCII digits at `p` (ending at `e` at the latest) to `mant`, 8 digits per
// step, and advances `p` past it. Returns the run's length, or -1 when it is longer than
// `budget`. Reads 8 bytes at a time, i.e. up to 8 bytes past `e` (the caller guarantees they
// are readable; their content is ignored).
ABSL_ATTRIBUTE_ALWAYS_INLINE inline int DigitRun(const char*& p, const char* e, uint64_t& mant,
                                                 int budget) {
  int count = 0;
  for (;;) {
    const size_t avail = static_cast<size_t>(e - p);
    const uint64_t w = Load8(p);
    // 0x33 in each byte that is an ASCII digit (high nibble 3, and still 3 after adding 6).
    const uint64_t x =
        (w & 0xF0F0F0F0F0F0F0F0ull) | (((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4);
    const uint64_t nd = x ^ 0x3333333333333333ull;  // nonzero bytes: not digits
    size_t k = nd == 0 ? 8 : static_cast<size_t>(__builtin_ctzll(nd)) / 8;
    if (k > avail) k = avail;
    if (k == 0) return count;
    count += static_cast<int>(k);
    if (count > budget) return -1;
    if (k == 8) {
      mant = mant * 100000000 + Parse8Digits(w);
    } else {
      // Keep the k digits, as the low-order end of 8, with '0's in front.
      const uint64_t d = (w << (8 * (8 - k))) | (0x3030303030303030ull >> (8 * k));
      mant = mant * kPow10Int[k] + Parse8Digits(d);
    }
    p += k;
    if (k < 8) return count;
  }
}

// Exact fast path (Clinger) for decimals `[-]digits[.digits][(e|E)[+|-]digits]`: when the
// digits (at most 19 after the leading zeros) form an integer m <= 2^53 (an exact double) and
// the decimal exponent q satisfies |q| <= 22 (10^|q| is an exact double), m * 10^q or m / 10^-q
// is one correctly rounded operation, hence bit-identical to the exactly rounded result of
// std::from_chars. Returns false, leaving the decision to the slow path, for anything else (more
// digits, larger exponents, other syntax, malformed tokens). Reads up to 8 bytes past `e`
// (DigitRun), which must be readable.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool FastDecimal(const char* p, const char* e, double* out) {
  bool neg = false;
  if (p < e && *p == '-') {
    neg = true;
    ++p;
  }
  const char* const digits = p;
  while (p < e && *p == '0') ++p;  // leading zeros are not significant
  const bool zeros = p != digits;
  uint64_t mant = 0;
  const int whole = DigitRun(p, e, mant, 19);
  if (whole < 0) return false;
  int frac = 0;  // digits after the '.'
  if (p < e && *p == '.') {
    ++p;
    frac = DigitRun(p, e, mant, 19 - whole);
    if (frac < 0) return false;
  }
  if (whole + frac == 0 && !zeros) return false;
  int exp = 0;
  if (p < e && (*p == 'e' || *p == 'E')) {
    ++p;
    bool exp_neg = false;
    if (p < e && (*p == '+' || *p == '-')) {
      exp_neg = *p == '-';
      ++p;
    }
    if (p == e || e - p > 4) return false;
    for (; p < e; ++p) {
      if (!IsDigit(*p)) return false;
      exp = exp * 10 + (*p - '0');
    }
    if (exp_neg) exp = -exp;
  }
  if (p != e) return false;
  if (mant > (uint64_t{1} << 53)) return false;
  double d = static_cast<double>(mant);
  if (mant != 0) {
    const int q = exp - frac;
    if (q < -22 || q > 22) return false;
    if (q < 0) {
      d /= kPow10[-q];
    } else {
      d *= kPow10[q];
    }
  }
  *out = neg ? -d : d;
  return true;
}

// True when all 8 bytes of `w` are ASCII digits.
inline bool AllDigits8(uint64_t w) {
  return ((w & 0xF0F0F0F0F0F0F0F0ull) |
          (((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4)) == 0x3333333333333333ull;
}

// `[-]digits` with at most 19 digits whose value fits int64 (the common nanosecond timestamp);
// false leaves everything else (including every error) to ParseTimestamp.
inline bool FastInt64(const char* p, size_t len, int64_t* out) {
  bool neg = false;
  if (len > 0 && *p == '-') {
    neg = true;
    ++p;
    --len;
  }
  if (len == 0 || len > 19) return false;
  uint64_t v = 0;
  for (; len >= 8; p += 8, len -= 8) {
    const uint64_t w = Load8(p);
    if (!AllDigits8(w)) return false;
    v = v * 100000000 + Parse8Digits(w);
  }
  for (; len > 0; ++p, --len) {
    const unsigned d = static_cast<unsigned char>(*p) - unsigned{'0'};
    if (d > 9) return false;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > uint64_t{1} << 63) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

bool LineParser::ParseScalar(std::string_view tok, size_t at, std::string_view key,
                             interp::Value* out) {
  const char first = tok[0];
  const char last = tok.back();
  if (IsDigit(first) || first == '-' || first == '.') {
    const char* b = tok.data();
    const char* e = tok.data() + tok.size();
    if (last == 'i') {
      int64_t v = 0;
      auto r = std::from_chars(b, e - 1, v);
      if (r.ec == std::errc() && r.ptr == e - 1) {
        *out = interp::Value::Int(v);
        return true;
      }
      if (r.ec == std::errc::result_out_of_range && r.ptr == e - 1) {
        Fail(at, absl::StrCat("integer ", Quote(tok), " out of range"));
      } else {
        Fail(at, absl::StrCat("invalid integer ", Quote(tok)));
      }
      return false;
    }
    if (last == 'u') {
      uint64_t v = 0;
      auto r = std::from_chars(b, e - 1, v);
      if (r.ec == std::errc() && r.ptr == e - 1) {
        *out = interp::Value::Uint(v);
        return true;
      }
      if (r.ec == std::errc::result_out_of_range && r.ptr == e - 1) {
        Fail(at, absl::StrCat("unsigned integer ", Quote(tok), " out of range"));
      } else {
        Fail(at, absl::StrCat("invalid unsigned integer ", Quote(tok)));
      }
      return false;
    }
    double d = 0;
    if (FastDecimal(b, e, &d)) {
      *out = interp::Value::Float(d);
      return true;
    }
    auto r = std::from_chars(b, e, d, std::chars_format::general);
    if (r.ptr == e && r.ec == std::errc() && std::isfinite(d)) {
      *out = interp::Value::Float(d);
      return true;
    }
    if (r.ptr == e && r.ec == std::errc::result_out_of_range) {
      // Overflow is an error; underflow rounds to zero or a subnormal, as strtod (and Go's
      // ParseFloat) do.
      scratch_.assign(tok);
      d = std::strtod(scratch_.c_str(), nullptr);
      if (std::isfinite(d)) {
        *out = interp::Value::Float(d);
        return true;
      }
      Fail(at, absl::StrCat("float ", Quote(tok), " out of range"));
      return false;
    }
    if (std::none_of(tok.begin(), tok.end(), IsDigit)) {
      Fail(at, absl::StrCat("invalid number ", Quote(tok)));
    } else if (tok.find_first_of(".eE") != std::string_view::npos) {
      Fail(at, absl::StrCat("invalid float ", Quote(tok)));
    } else {
      Fail(at, absl::StrCat("invalid integer ", Quote(tok)));
    }
    return false;
  }
  if (first == 't' || first == 'T') {
    if (tok == "t" || tok == "T" || tok == "true" || tok == "True" || tok == "TRUE") {
      *out = interp::Value::Bool(true);
      return true;
    }
    Fail(at, absl::StrCat("invalid boolean ", Quote(tok)));
    return false;
  }
  if (first == 'f' || first == 'F') {
    if (tok == "f" || tok == "F" || tok == "false" || tok == "False" || tok == "FALSE") {
      *out = interp::Value::Bool(false);
      return true;
    }
    Fail(at, absl::StrCat("invalid boolean ", Quote(tok)));
    return false;
  }
  Fail(at, absl::StrCat("invalid field value ", Quote(tok), " for key ", Quote(key),
                        ": expected a number, a boolean or a double-quoted string"));
  return false;
}

bool LineParser::ParseTimestamp(std::string_view tok, size_t at, int64_t* out) {
  int64_t raw;
  if (FastInt64(tok.data(), tok.size(), &raw) && !__builtin_mul_overflow(raw, multiplier_, out)) {
    return true;
  }
  const size_t digits_from = tok[0] == '-' ? 1 : 0;
  if (tok.size() == digits_from || !std::all_of(tok.begin() + digits_from, tok.end(), IsDigit)) {
    Fail(at, absl::StrCat("invalid timestamp ", Quote(tok)));
    return false;
  }
  int64_t v = 0;
  if (tok.size() - digits_from <= 18) {  // cannot overflow
    for (size_t k = digits_from; k < tok.size(); ++k) v = v * 10 + (tok[k] - '0');
    if (digits_from) v = -v;
  } else if (std::from_chars(tok.data(), tok.data() + tok.size(), v).ec != std::errc()) {
    Fail(at, absl::StrCat("timestamp ", Quote(tok), " out of range"));
    return false;
  }
  if (__builtin_mul_overflow(v, multiplier_, out)) {
    Fail(at, absl::StrCat("timestamp ", Quote(tok), " out of range for precision \"",
                          PrecisionName(precision_), "\""));
    return false;
  }
  return true;
}

// Bytes after a record copy that the structural scan may read: buf[n] and the 15 bytes after it
// must be allocated and zero while it runs.
constexpr size_t kScanPadding = 16;

// Structural scan for the fast path: bit k of masks[k / 64] is set when buf[k] is ',', ' ' or
// '=', and bit n (a sentinel) is set so lookups need no bounds checks; masks has n / 64 + 1
// words. Returns false as soon as the record holds a byte only the general parser handles (a
// backslash, a double quote or a newline, i.e. escapes and string values). Reads
// buf[0, 16 * (n / 16 + 1)), i.e. up to kScanPadding bytes past the record (whatever they hold:
// bytes at or after n are masked out), so the caller must guarantee they are readable.
bool BuildStructuralMasks(const char* buf, size_t n, std::vector<uint64_t>& masks) {
  masks.resize(n / 64 + 1);
  uint64_t* out = masks.data();
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i equals = _mm_set1_epi8('=');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i newline = _mm_set1_epi8('\n');
  const size_t full = n / 16;  // chunks wholly inside the record; then one partial chunk
  // The structural bits of the chunk at 16 * c, or ~0 for a byte only the general parser handles.
  auto chunk_bits = [&](size_t c) -> uint64_t {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 16 * c));
    const __m128i bad =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, backslash), _mm_cmpeq_epi8(x, quote)),
                     _mm_cmpeq_epi8(x, newline));
    const __m128i st =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, comma), _mm_cmpeq_epi8(x, space)),
                     _mm_cmpeq_epi8(x, equals));
    return static_cast<uint32_t>(_mm_movemask_epi8(st)) |
           (uint64_t{static_cast<uint32_t>(_mm_movemask_epi8(bad))} << 16);
  };
  uint64_t word = 0;
  size_t c = 0;
  for (; c < full; ++c) {
    const uint64_t bits = chunk_bits(c);
    if ((bits >> 16) != 0) return false;
    word |= bits << (16 * (c & 3));
    if ((c & 3) == 3) {
      out[c / 4] = word;
      word = 0;
    }
  }
  // The partial chunk: bytes at or after n are not the record's.
  const uint64_t keep = (uint64_t{1} << (n % 16)) - 1;
  const uint64_t bits = chunk_bits(c);
  if (((bits >> 16) & keep) != 0) return false;
  out[c / 4] = word | ((bits & keep) << (16 * (c & 3)));
#else
  std::fill(masks.begin(), masks.end(), 0);
  for (size_t k = 0; k < n; ++k) {
    const uint8_t c = ClassOf(buf[k]);
    if (c & (kBackslash | kQuote | kNewline)) return false;
    if (c & (kComma | kSpace | kEquals)) out[k / 64] |= uint64_t{1} << (k % 64);
  }
#endif
  out[n / 64] |= uint64_t{1} << (n % 64);
  return true;
}

// The position of the first structural byte at or after `from` (<= n); n when there is none.
inline size_t NextStructural(const uint64_t* masks, size_t from) {
  size_t b = from / 64;
  uint64_t m = masks[b] & (~uint64_t{0} << (from % 64));
  while (m == 0) m = masks[++b];
  return b * 64 + static_cast<size_t>(__builtin_ctzll(m));
}

bool LineParser::FastParse(const char* buf, size_t n, int64_t default_time, Point& point) {
  if (n == 0 || buf[0] == ' ' || buf[0] == '\t') return false;
  if (!BuildStructuralMasks(buf, n, masks_)) return false;
  const uint64_t* masks = masks_.data();
  std::vector<Tag>& tags = PointBuilder::tags(point);
  std::vector<Field>& fields = PointBuilder::fields(point);

  // ---- measurement ('=' is content here)
  size_t e = NextStructural(masks, 0);
  while (e < n && buf[e] == '=') e = NextStructural(masks, e + 1);
  if (e == 0 || e >= n) return false;
  PointBuilder::SetMeasurementView(point, std::string_view(buf, e));

  // ---- tags, collected in line order, then emitted in name order
  if (buf[e] == ',') {
    tag_offsets_.clear();
    size_t count = 0;
    for (;;) {
      const size_t ks = e + 1;
      const size_t ke = NextStructural(masks, ks);
      if (ke == ks || ke >= n || buf[ke] != '=') return false;
      const size_t vs = ke + 1;
      const size_t ve = NextStructural(masks, vs);
      if (ve == vs || ve >= n || buf[ve] == '=') return false;
      if (count == scratch_size_) GrowScratch();
      key_ids_[count] = keys_.Intern(std::string_view(buf + ks, ke - ks), count);
      tag_values_[count] = std::string_view(buf + vs, ve - vs);
      ++count;
      e = ve;
      if (buf[ve] == ' ') break;
    }
    const SchemaCache* sc = TagOrder(count);
    if (sc == nullptr) return false;
    if (tags.size() != count) tags.resize(count);
    for (size_t k = 0; k < count; ++k) {
      const uint32_t from = sc->order[k];
      tags[k].key = key_ids_[from];
      tags[k].value = tag_values_[from];
    }
  } else {
    tags.clear();
  }

  // ---- fields (buf[e] is the space before them), likewise
  size_t ks = e + 1;
  if (ks >= n || buf[ks] == '\t') return false;
  size_t ve;
  size_t count = 0;
  for (;;) {
    const size_t ke = NextStructural(masks, ks);
    if (ke == ks || ke >= n || buf[ke] != '=') return false;
    const size_t vs = ke + 1;
    ve = NextStructural(masks, vs);
    if (ve == vs || (ve < n && buf[ve] == '=')) return false;
    if (count == scratch_size_) GrowScratch();
    const std::string_view key(buf + ks, ke - ks);
    double d;
    if (FastDecimal(buf + vs, buf + ve, &d)) {
      field_values_[count] = interp::Value::Float(d);
    } else if (!ParseScalar(std::string_view(buf + vs, ve - vs), vs, key, &field_values_[count])) {
      return false;
    }
    key_ids_[count] = keys_.Intern(key, KeyCache::kSlots / 4 + count);
    ++count;
    if (ve >= n || buf[ve] == ' ') break;
    ks = ve + 1;
  }
  {
    const SchemaCache* sc = FieldOrder(count);
    const size_t out = sc->order.size();
    if (fields.size() != out) fields.resize(out);
    for (size_t k = 0; k < out; ++k) {
      const uint32_t from = sc->order[k];
      fields[k].key = key_ids_[from];
      fields[k].value = field_values_[from];
    }
  }

  // ---- timestamp
  if (ve >= n) {
    point.set_time(default_time);
    return true;
  }
  const size_t ts = ve + 1;
  if (ts >= n || buf[ts] == ' ' || buf[ts] == '\t') return false;
  if (NextStructural(masks, ts) != n) return false;
  int64_t raw;
  int64_t ns;
  if (!FastInt64(buf + ts, n - ts, &raw) || __builtin_mul_overflow(raw, multiplier_, &ns)) {
    return false;
  }
  point.set_time(ns);
  return true;
}

ParseResult LineParser::Parse(std::string_view rec, size_t readable, bool more_input,
                              int64_t default_time, Point& point) {
  const size_t n = rec.size();
  bool tried_fast = false;
  if (fast_path_ && readable - n >= kScanPadding) {
    // Zero-copy: the record is followed by readable bytes (the rest of the input).
    if (FastParse(rec.data(), n, default_time, point)) return ParseResult::kOk;
    tried_fast = true;
  }
  // One copy of the record (plus a '\n' sentinel and the structural scan's padding) into the
  // point's storage; keys and values are unescaped in place (writes never overtake reads) and
  // viewed from there.
  char* buf = PointBuilder::Allocate(point, n + kScanPadding);
  if (n > 0) std::memcpy(buf, rec.data(), n);
  std::memset(buf + n, 0, kScanPadding);
  if (fast_path_ && !tried_fast && FastParse(buf, n, default_time, point)) {
    return ParseResult::kOk;
  }
  buf[n] = '\n';
  // The fast path read `buf` without writing it; start over with the general parser.
  PointBuilder::tags(point).clear();
  PointBuilder::fields(point).clear();
  return ParseGeneral(buf, n, more_input, default_time, point);
}

ParseResult LineParser::ParseGeneral(char* buf, size_t n, bool more_input, int64_t default_time,
                                     Point& point) {
  std::vector<Tag>& tags = PointBuilder::tags(point);
  std::vector<Field>& fields = PointBuilder::fields(point);

  size_t i = 0;
  while (i < n && (buf[i] == ' ' || buf[i] == '\t')) ++i;

  // ---- measurement
  if (i < n && buf[i] == ',') return Fail(i, "missing measurement");
  size_t start = i;
  size_t w = i;
  ScanToken(buf, n, i, w, kMeasurementStop, kMeasurementEscapes);
  if (i >= n) return Fail(n, "missing fields");
  PointBuilder::SetMeasurementView(point, std::string_view(buf + start, w - start));

  // ---- tags
  if (buf[i] == ',') {
    ++i;
    tag_offsets_.clear();
    for (;;) {
      const size_t key_at = i;
      if (i >= n || (ClassOf(buf[i]) & (kSpace | kComma | kEquals))) {
        return Fail(i, "missing tag key");
      }
      start = w = i;
      ScanToken(buf, n, i, w, kKeyStop, kKeyEscapes);
      const std::string_view key(buf + start, w - start);
      if (i >= n || buf[i] != '=') {
        return Fail(i, absl::StrCat("missing '=' after tag key ", Quote(key)));
      }
      ++i;  // '='
      if (i >= n || buf[i] == ',' || buf[i] == ' ') {
        return Fail(i, absl::StrCat("missing tag value for key ", Quote(key)));
      }
      start = w = i;
      ScanToken(buf, n, i, w, kKeyStop, kKeyEscapes);
      if (i >= n) return Fail(n, "missing fields");
      if (buf[i] == '=') {
        return Fail(i, absl::StrCat("unexpected '=' in the value of tag ", Quote(key),
                                    " (escape it as '\\=')"));
      }
      tags.push_back(Tag{keys_.Intern(key, tags.size()), std::string_view(buf + start, w - start)});
      tag_offsets_.push_back(key_at);
      if (buf[i++] == ' ') break;
    }
    if (!FinishTags(tags)) return ParseResult::kError;
  } else {
    ++i;  // ' '
  }

  // ---- fields
  while (i < n && (buf[i] == ' ' || buf[i] == '\t')) ++i;
  if (i >= n) return Fail(i, "missing fields");
  for (;;) {
    if (i >= n || (ClassOf(buf[i]) & (kSpace | kComma | kEquals))) {
      return Fail(i, "missing field key");
    }
    start = w = i;
    ScanToken(buf, n, i, w, kKeyStop, kKeyEscapes);
    const std::string_view key(buf + start, w - start);
    if (i >= n || buf[i] != '=') {
      return Fail(i, absl::StrCat("missing '=' after field key ", Quote(key)));
    }
    ++i;  // '='
    const size_t value_at = i;
    if (i >= n || buf[i] == ',' || buf[i] == ' ') {
      return Fail(i, absl::StrCat("missing field value for key ", Quote(key)));
    }
    interp::Value value;
    if (buf[i] == '"') {
      ++i;
      start = w = i;
      for (;;) {
        size_t j = i;
        while (!(ClassOf(buf[j]) & kStringStop)) ++j;
        if (w != i) std::memmove(buf + w, buf + i, j - i);
        w += j - i;
        i = j;
        if (i >= n) {
          if (more_input) return ParseResult::kNeedMore;
          return Fail(value_at, absl::StrCat("unterminated string value for key ", Quote(key)));
        }
        const char c = buf[i];
        if (c == '"') break;
        if (c == '\\' && i + 1 < n && (buf[i + 1] == '"' || buf[i + 1] == '\\')) {
          buf[w++] = buf[i + 1];
          i += 2;
        } else {  // a lone backslash or a newline: content
          buf[w++] = c;
          ++i;
        }
      }
      value = interp::Value::String(std::string_view(buf + start, w - start));
      ++i;  // closing quote
      if (i < n && buf[i] != ',' && buf[i] != ' ') {
        return Fail(
            i, absl::StrCat("expected ',' or ' ' after the string value for key ", Quote(key)));
      }
    } else {
      start = i;
      for (;;) {
        while (!(ClassOf(buf[i]) & kValueStop)) ++i;
        if (i < n && buf[i] == '\n') {
          ++i;
          continue;
        }
        break;
      }
      if (!ParseScalar(std::string_view(buf + start, i - start), value_at, key, &value)) {
        return ParseResult::kError;
      }
    }
    fields.push_back(Field{keys_.Intern(key, KeyCache::kSlots / 4 + fields.size()), value});
    if (i >= n || buf[i] == ' ') break;
    ++i;  // ','
  }
  FinishFields(fields);

  // ---- timestamp
  while (i < n && (buf[i] == ' ' || buf[i] == '\t')) ++i;
  if (i >= n) {
    point.set_time(default_time);
    return ParseResult::kOk;
  }
  start = i;
  while (i < n && buf[i] != ' ') ++i;
  int64_t ts = 0;
  if (!ParseTimestamp(std::string_view(buf + start, i - start), start, &ts)) {
    return ParseResult::kError;
  }
  while (i < n && buf[i] == ' ') ++i;
  if (i < n) {
    return Fail(i, absl::StrCat("unexpected ", Quote(std::string_view(buf + i, n - i)),
                                " after the timestamp"));
  }
  point.set_time(ts);
  return ParseResult::kOk;
}

bool IsBlankOrComment(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i == line.size() || line[i] == '#';
}

std::string_view StripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

struct LineProtocolReader::Impl {
  Impl(int64_t nanos, Precision p) : parser(nanos, p) {}

  LineParser parser;
  Point point;
  std::string carry;
  // Multi-line string values: for the record at the start of the unconsumed input, the offset
  // up to which we know there is no closing quote (0 = no pending scan).
  size_t quote_scan_from = 0;
  // .srpl state: 0 expects a database line, 1 a retention policy line, 2 a point line.
  int srpl_phase = 0;
  std::string srpl_db;
  std::string srpl_rp;
  std::string srpl_last_line;
  std::string diagnostic;

  // Reports the parser's error for record `rec` starting on `first_line`.
  void ReportParseError(std::string_view file, uint64_t first_line, std::string_view rec,
                        LineProtocolReader::ErrorFn on_error) {
    size_t off = std::min(parser.error_offset(), rec.size());
    uint64_t line = first_line;
    size_t line_begin = 0;
    for (size_t k = 0; k < off; ++k) {
      if (rec[k] == '\n') {
        ++line;
        line_begin = k + 1;
      }
    }
    size_t line_end = rec.find('\n', off);
    if (line_end == std::string_view::npos) line_end = rec.size();
    const std::string_view text = StripCr(rec.substr(line_begin, line_end - line_begin));
    diagnostic = FormatDiagnostic(file, line, off - line_begin + 1, parser.error_message(), text);
    on_error(diagnostic);
  }
};

LineProtocolReader::LineProtocolReader(ReaderOptions options) : options_(std::move(options)) {
  const Precision p = options_.precision.value_or(
      options_.format == LineFormat::kSrpl ? Precision::kSecond : Precision::kNanosecond);
  impl_ = std::make_unique<Impl>(PrecisionNanos(p), p);
}

LineProtocolReader::~LineProtocolReader() = default;

size_t LineProtocolReader::Process(std::string_view buf, bool eof, PointFn on_point,
                                   ErrorFn on_error) {
  Impl& im = *impl_;
  size_t pos = 0;
  while (pos < buf.size()) {
    const uint64_t line_no = stats_.lines + 1;
    size_t end;
    const bool multi_line = im.quote_scan_from > 0;
    if (multi_line) {
      // Resume a multi-line string: find its closing quote, then the end of that line.
      size_t j = pos + im.quote_scan_from;
      bool closed = false;
      while (j < buf.size()) {
        const char c = buf[j];
        if (c == '\\') {
          if (j + 1 >= buf.size()) break;  // escape split by the chunk boundary
          j += (buf[j + 1] == '"' || buf[j + 1] == '\\') ? 2 : 1;
          continue;
        }
        if (c == '"') {
          closed = true;
          break;
        }
        ++j;
      }
      if (!closed && !eof) {
        im.quote_scan_from = j - pos;
        return pos;
      }
      const void* nl = closed ? std::memchr(buf.data() + j, '\n', buf.size() - j) : nullptr;
      if (nl == nullptr && !eof) {
        im.quote_scan_from = j - pos;
        return pos;
      }
      end = nl ? static_cast<const char*>(nl) - buf.data() : buf.size();
      if (nl == nullptr && end > pos && buf[end - 1] == '\n') --end;  // final newline ends it
      im.quote_scan_from = 0;
    } else {
      const void* nl = std::memchr(buf.data() + pos, '\n', buf.size() - pos);
      if (nl == nullptr && !eof) return pos;
      end = nl ? static_cast<const char*>(nl) - buf.data() : buf.size();
    }
    const size_t next = end < buf.size() ? end + 1 : end;
    const std::string_view rec = StripCr(buf.substr(pos, end - pos));

    if (options_.format == LineFormat::kSrpl) {
      ++stats_.lines;
      pos = next;
      if (im.srpl_phase == 0) {
        im.srpl_db.assign(rec);
        im.srpl_last_line.assign(rec);
        im.srpl_phase = 1;
        continue;
      }
      if (im.srpl_phase == 1) {
        im.srpl_rp.assign(rec);
        im.srpl_last_line.assign(rec);
        im.srpl_phase = 2;
        continue;
      }
      im.srpl_phase = 0;
      if (IsBlankOrComment(rec)) {
        ++stats_.errors;
        im.diagnostic = FormatDiagnostic(
            options_.filename, line_no, 1,
            "invalid replay file format, expected a line-protocol point as the third line "
            "of the record",
            rec);
        on_error(im.diagnostic);
        continue;
      }
      PointBuilder::ClearForParse(im.point);
      PointBuilder::SetDatabaseView(im.point, im.srpl_db);  // (stable until the next record)
      PointBuilder::SetRetentionPolicyView(im.point, im.srpl_rp);
      const size_t readable = buf.size() - static_cast<size_t>(rec.data() - buf.data());
      if (im.parser.Parse(rec, readable, false, options_.default_time, im.point) ==
          ParseResult::kOk) {
        ++stats_.points;
        on_point(im.point);
      } else {
        ++stats_.errors;
        im.ReportParseError(options_.filename, line_no, rec, on_error);
      }
      continue;
    }

    if (IsBlankOrComment(rec)) {
      ++stats_.lines;
      pos = next;
      continue;
    }
    PointBuilder::ClearForParse(im.point);
    // The options outlive the point's use: view them instead of copying them per point.
    PointBuilder::SetDatabaseView(im.point, options_.database);
    PointBuilder::SetRetentionPolicyView(im.point, options_.retention_policy);
    const bool more_input = next < buf.size() || !eof;
    const size_t readable = buf.size() - static_cast<size_t>(rec.data() - buf.data());
    const ParseResult r =
        im.parser.Parse(rec, readable, more_input, options_.default_time, im.point);
    if (r == ParseResult::kNeedMore) {
      // The string goes on after this line's newline: scan for its end from there.
      im.quote_scan_from = end - pos;
      continue;
    }
    stats_.lines += 1;
    if (multi_line) {
      for (const char* q = rec.data();
           (q = static_cast<const char*>(std::memchr(q, '\n', rec.data() + rec.size() - q))); ++q) {
        ++stats_.lines;
      }
    }
    pos = next;
    if (r == ParseResult::kOk) {
      ++stats_.points;
      on_point(im.point);
    } else {
      ++stats_.errors;
      im.ReportParseError(options_.filename, line_no, rec, on_error);
    }
  }
  return pos;
}

void LineProtocolReader::Feed(std::string_view chunk, PointFn on_point, ErrorFn on_error) {
  Impl& im = *impl_;
  stats_.bytes += chunk.size();
  while (!chunk.empty()) {
    if (im.carry.empty()) {
      const size_t used = Process(chunk, false, on_point, on_error);
      im.carry.assign(chunk.substr(used));
      return;
    }
    // Complete the carried line with this chunk's first line, then go back to zero-copy.
    const void* nl = std::memchr(chunk.data(), '\n', chunk.size());
    const size_t take = nl ? static_cast<const char*>(nl) - chunk.data() + 1 : chunk.size();
    im.carry.append(chunk.substr(0, take));
    chunk.remove_prefix(take);
    const size_t used = Process(im.carry, false, on_point, on_error);
    im.carry.erase(0, used);
  }
}

void LineProtocolReader::Finish(PointFn on_point, ErrorFn on_error) {
  Impl& im = *impl_;
  if (!im.carry.empty()) {
    Process(im.carry, true, on_point, on_error);
    im.carry.clear();
  }
  im.quote_scan_from = 0;
  if (options_.format == LineFormat::kSrpl && im.srpl_phase != 0) {
    ++stats_.errors;
    im.diagnostic =
        FormatDiagnostic(options_.filename, stats_.lines, im.srpl_last_line.size() + 1,
                         "invalid replay file format, expected another line", im.srpl_last_line);
    on_error(im.diagnostic);
    im.srpl_phase = 0;
  }
}

void LineProtocolReader::ParseBuffer(std::string_view data, PointFn on_point, ErrorFn on_error) {
  Feed(data, on_point, on_error);
  Finish(on_point, on_error);
}

absl::Status LineProtocolReader::ReadFd(int fd, PointFn on_point, ErrorFn on_error) {
  constexpr size_t kChunk = 1 << 20;
  auto buf = std::make_unique_for_overwrite<char[]>(kChunk);
  for (;;) {
    const ssize_t got = ::read(fd, buf.get(), kChunk);
    if (got < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      Finish(on_point, on_error);
      return absl::UnavailableError(
          absl::StrCat(options_.filename, ": read error: ", std::strerror(err)));
    }
    if (got == 0) break;
    Feed(std::string_view(buf.get(), static_cast<size_t>(got)), on_point, on_error);
  }
  Finish(on_point, on_error);
  return absl::OkStatus();
}

absl::Status LineProtocolReader::ReadFile(std::FILE* file, PointFn on_point, ErrorFn on_error) {
  constexpr size_t kChunk = 1 << 20;
  auto buf = std::make_unique_for_overwrite<char[]>(kChunk);
  for (;;) {
    const size_t got = std::fread(buf.get(), 1, kChunk, file);
    if (got > 0) Feed(std::string_view(buf.get(), got), on_point, on_error);
    if (got < kChunk) {
      if (std::ferror(file)) {
        Finish(on_point, on_error);
        return absl::UnavailableError(absl::StrCat(options_.filename, ": read error"));
      }
      if (std::feof(file)) break;
    }
  }
  Finish(on_point, on_error);
  return absl::OkStatus();
}

ParsedInput ParseAll(std::string_view data, const ReaderOptions& options) {
  ParsedInput out;
  LineProtocolReader reader(options);
  reader.ParseBuffer(
      data, [&](const Point& p) { out.points.push_back(p); },
      [&](std::string_view d) { out.errors.emplace_back(d); });
  out.stats = reader.stats();
  return out;
}

namespace {

absl::StatusOr<Point> ParseOneLine(std::string_view line, const ReaderOptions& options,
                                   bool fast_path) {
  const Precision p = options.precision.value_or(Precision::kNanosecond);
  LineParser parser(PrecisionNanos(p), p);
  parser.set_fast_path(fast_path);
  Point point;
  if (!options.database.empty()) point.set_database(options.database);
  if (!options.retention_policy.empty()) point.set_retention_policy(options.retention_policy);
  if (IsBlankOrComment(line)) {
    return absl::InvalidArgumentError(
        (FormatDiagnostic(options.filename, 1, 1,
                          "expected a line-protocol point, found a blank line or comment", line)));
  }
  if (parser.Parse(line, line.size(), false, options.default_time, point) == ParseResult::kOk) {
    return point;
  }
  const size_t off = std::min(parser.error_offset(), line.size());
  return absl::InvalidArgumentError(
      (FormatDiagnostic(options.filename, 1, off + 1, parser.error_message(), StripCr(line))));
}

}  // namespace

absl::StatusOr<Point> ParsePointLine(std::string_view line, const ReaderOptions& options) {
  return ParseOneLine(line, options, /*fast_path=*/true);
}

namespace internal {

std::optional<double> FastDecimalForTesting(std::string_view token) {
  std::string padded(token);
  padded.append(8, '\0');  // FastDecimal reads up to 8 bytes past the token
  double d;
  if (FastDecimal(padded.data(), padded.data() + token.size(), &d)) return d;
  return std::nullopt;
}

absl::StatusOr<Point> ParsePointLineGeneralForTesting(std::string_view line,
                                                      const ReaderOptions& options) {
  return ParseOneLine(line, options, /*fast_path=*/false);
}

}  // namespace internal

}  // namespace tick::nodes
