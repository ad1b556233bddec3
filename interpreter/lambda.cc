// File: interpreter/lambda.cc
//
// Compiler and evaluator of TICKscript lambdas. The AST is compiled into a tree of `final`
// nodes; the hot shapes (`"ref" <op> const`, `"ref" <op> "ref"`, ...) are template
// specialisations whose operands are read without virtual calls. Errors are Values whose text
// is produced lazily by FormatError.
//
// Evaluation order: operands are evaluated left to right and their kinds checked afterwards
// (Kapacitor checks the types of both operands first). The results and error texts are the
// same except when one evaluation has several errors, where the first one found may differ.
#include "interpreter/lambda.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <forward_list>
#include <functional>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "interpreter/gofmt.h"
#include "interpreter/lambda_internal.h"
#include "re2/re2.h"

namespace tick::interp {

using ast::BinaryOp;
using ast::Expr;
using ast::ExprKind;
using K = ValueKind;
using namespace internal;  // NOLINT(build/namespaces): internal helpers of this engine
using tick::Sv;

// =============================================================================================
// Scope

namespace {
bool IsLiteralKind(ExprKind k) {
  switch (k) {
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kString:
    case ExprKind::kBool:
    case ExprKind::kDuration:
    case ExprKind::kRegex:
    case ExprKind::kLambda:
    case ExprKind::kList:
    case ExprKind::kStar:
      return true;
    default:
      return false;
  }
}
}  // namespace

absl::Status Scope::Define(std::string name, ast::ExprPtr literal, SourceRange where) {
  if (literal == nullptr || !IsLiteralKind(literal->kind)) {
    return absl::InvalidArgumentError(
        absl::StrCat("var \"", Sv(name), "\" must be bound to a literal value"));
  }
  if (entries_.contains(name)) {
    return absl::FailedPreconditionError(
        absl::StrCat("attempted to redefine ", Sv(name), ", vars are immutable"));
  }
  entries_[std::move(name)] = Entry{std::move(literal), where};
  return absl::OkStatus();
}

absl::Status Scope::DeclareNode(std::string name, SourceRange where) {
  if (entries_.contains(name)) {
    return absl::FailedPreconditionError(
        absl::StrCat("attempted to redefine ", Sv(name), ", vars are immutable"));
  }
  entries_[std::move(name)] = Entry{nullptr, where};
  return absl::OkStatus();
}

const Expr* Scope::Find(std::string_view name) const {
  auto it = entries_.find(std::string(name));
  return it == entries_.end() ? nullptr : it->second.literal.get();
}

bool Scope::Contains(std::string_view name) const { return entries_.contains(std::string(name)); }

bool Scope::IsNode(std::string_view name) const {
  auto it = entries_.find(std::string(name));
  return it != entries_.end() && it->second.literal == nullptr;
}

SourceRange Scope::Where(std::string_view name) const {
  auto it = entries_.find(std::string(name));
  return it == entries_.end() ? SourceRange{} : it->second.where;
}

std::vector<std::string> Scope::Names() const {
  std::vector<std::string> names;
  names.reserve(entries_.size());
  for (const auto& [k, v] : entries_) names.push_back(k);
  std::sort(names.begin(), names.end());
  return names;
}

// =============================================================================================
// EvalScratch

struct EvalScratch::Block {
  explicit Block(size_t n) : data(new char[n]), size(n) {}
  std::unique_ptr<char[]> data;
  size_t size;
  size_t used = 0;
};

EvalScratch::EvalScratch() { blocks_.push_back(std::make_unique<Block>(4096)); }
EvalScratch::~EvalScratch() = default;

void EvalScratch::ResetSlow() {
  dirty_ = false;
  for (auto& b : blocks_) b->used = 0;
  current_ = 0;
  for (size_t i = 0; i < messages_used_; ++i) messages_[i]->clear();
  messages_used_ = 0;
}

char* EvalScratch::Allocate(size_t n) {
  dirty_ = true;
  while (true) {
    Block& b = *blocks_[current_];
    if (b.size - b.used >= n) {
      char* p = b.data.get() + b.used;
      b.used += n;
      return p;
    }
    if (current_ + 1 < blocks_.size()) {
      ++current_;
      continue;
    }
    blocks_.push_back(std::make_unique<Block>(std::max<size_t>(n, 2 * b.size)));
    current_ = blocks_.size() - 1;
  }
}

std::string_view EvalScratch::Copy(std::string_view s) {
  if (s.empty()) return std::string_view();
  char* p = Allocate(s.size());
  std::memcpy(p, s.data(), s.size());
  return std::string_view(p, s.size());
}

struct EvalScratch::RegexMemo {
  static constexpr size_t kMaxKey = 54;
  static constexpr size_t kEntries = 256;  // indexed by a hash's top byte
  struct alignas(64) Entry {               // one cache line
    uint64_t serial = 0;                   // 0: empty
    uint8_t len = 0;
    bool match = false;
    char key[kMaxKey];
  };
  Entry entries[kEntries];
  // Adaptive bypass: when nearly every lookup of a window misses (the strings do not repeat),
  // the memo only costs a hash and a cache line per match, so it is skipped for a while.
  static constexpr uint32_t kWindow = 256, kMissesToBypass = 240, kBypassLength = 4096;
  uint32_t window_lookups = 0, window_misses = 0, bypass = 0;
};

namespace {

// A hash of a string of at most RegexMemo::kMaxKey bytes, from word loads, mixed with `salt`;
// the memo index is its top byte. One multiply on the path of a short string (a tag value).
inline uint64_t ShortHash(std::string_view s, uint64_t salt) {
  const size_t n = s.size();
  const char* p = s.data();
  uint64_t a = 0, b = 0;
  if (n >= 8) {
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + n - 8, 8);
    if (n > 16) {
      uint64_t c, d;
      std::memcpy(&c, p + 8, 8);
      std::memcpy(&d, p + n - 16, 8);
      a ^= c * 0xC2B2AE3D27D4EB4Full;
      b ^= d * 0x165667B19E3779F9ull;
      if (n > 32) {
        std::memcpy(&c, p + 16, 8);
        std::memcpy(&d, p + n - 24, 8);
        a ^= (c << 17 | c >> 47) * 0x9E3779B97F4A7C15ull;
        b ^= (d << 29 | d >> 35) * 0xD6E8FEB86659FD93ull;
      }
    }
  } else if (n >= 4) {
    uint32_t x, y;
    std::memcpy(&x, p, 4);
    std::memcpy(&y, p + n - 4, 4);
    a = x;
    b = y;
  } else if (n > 0) {  // the first, middle and last byte cover 1 to 3 bytes
    a = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
        static_cast<unsigned char>(p[n - 1]) << 16;
  }
  return ((a + n) ^ (b << 31 | b >> 33) ^ salt) * 0x9E3779B97F4A7C15ull;
}

inline uint64_t RegexSalt(uint64_t serial) { return serial * 0xD6E8FEB86659FD93ull; }

}  // namespace

// The memo's hit path, inlined into the fast regex operation; everything else (no memo yet, a
// long string, the bypass, the window bookkeeping, a miss) is RegexMatchMiss.
struct internal::ScratchAccess {
  // The memoised answer (0 or 1), or -1 when RegexMatchMiss must answer (it looks again).
  ABSL_ATTRIBUTE_ALWAYS_INLINE static int RegexMemoHit(EvalScratch* scratch, uint64_t serial,
                                                       std::string_view s) {
    using Memo = EvalScratch::RegexMemo;
    Memo* memo = scratch->regex_memo_.get();
    // Keys over 16 bytes (still memoised) take RegexMatchMiss: their compare is a memcmp call,
    // which would make every hit save registers.
    if (memo == nullptr || s.size() > 16 || memo->bypass != 0 ||
        memo->window_lookups + 1 >= Memo::kWindow) {
      return -1;
    }
    const Memo::Entry& e = memo->entries[ShortHash(s, RegexSalt(serial)) >> 56];
    if (e.serial != serial || e.len != s.size() || !BytesEqual(std::string_view(e.key, e.len), s)) {
      return -1;
    }
    ++memo->window_lookups;
    return e.match;
  }
  static bool RegexMatchMiss(EvalScratch* scratch, const re2::RE2& re, uint64_t serial,
                             std::string_view s) {
    return scratch->RegexMatchMiss(re, serial, s);
  }
};

bool EvalScratch::RegexMatch(const re2::RE2& re, uint64_t serial, std::string_view s) {
  const int hit = internal::ScratchAccess::RegexMemoHit(this, serial, s);
  return hit >= 0 ? hit != 0 : RegexMatchMiss(re, serial, s);
}

bool EvalScratch::RegexMatchMiss(const re2::RE2& re, uint64_t serial, std::string_view s) {
  const re2::StringPiece text(s.data(), s.size());
  if (s.size() > RegexMemo::kMaxKey) return re2::RE2::PartialMatch(text, re);
  if (regex_memo_ == nullptr) regex_memo_ = std::make_unique<RegexMemo>();
  RegexMemo& memo = *regex_memo_;
  if (memo.bypass > 0) {
    --memo.bypass;
    return re2::RE2::PartialMatch(text, re);
  }
  if (++memo.window_lookups == RegexMemo::kWindow) {
    if (memo.window_misses >= RegexMemo::kMissesToBypass) memo.bypass = RegexMemo::kBypassLength;
    memo.window_lookups = memo.window_misses = 0;
  }
  RegexMemo::Entry& e = memo.entries[ShortHash(s, RegexSalt(serial)) >> 56];
  if (e.serial == serial && e.len == s.size() && BytesEqual(std::string_view(e.key, e.len), s)) {
    return e.match;
  }
  ++memo.window_misses;
  const bool match = re2::RE2::PartialMatch(text, re);
  e.serial = serial;
  e.len = static_cast<uint8_t>(s.size());
  if (!s.empty()) std::memcpy(e.key, s.data(), s.size());
  e.match = match;
  return match;
}

const std::string* EvalScratch::StoreMessage(std::string message) {
  dirty_ = true;
  if (messages_used_ == messages_.size()) messages_.push_back(std::make_unique<std::string>());
  std::string* m = messages_[messages_used_++].get();
  *m = std::move(message);
  return m;
}

// =============================================================================================
// Compiled representation

namespace {

class StateImpl final : public EvalState {
 public:
  explicit StateImpl(size_t n) : states(n) { Reset(); }
  void Reset() override {
    for (auto& s : states) s.Reset();
  }
  std::vector<FuncState> states;
};

struct Ctx {
  const Value* slots;
  FuncState* states;
  EvalScratch* scratch;
  const CompiledLambda::Impl* impl;
};

constexpr K kUnknownKind = K::kError;  // "not known at compile time"

}  // namespace

// ---- Fast predicate path ----
//
// Boolean lambdas made of comparisons, regex matches, NOT, AND and OR over references and
// constants (nearly every alert and where rule) are also compiled into a flat array of FastOps,
// evaluated with one switch per operation and no Value boxing. A FastOp answers 1 (true), 0
// (false) or -1: "not on the fast path" (a missing value, an error, an unexpected kind, ...).
// On -1 the caller evaluates the general tree from the start, which produces Kapacitor's exact
// result or error. Only pure operations are compiled (no state, no clock), so evaluating a
// prefix twice is unobservable.
namespace internal {

enum class FastCode : uint8_t {
  kConst,        // b
  kBoolRef,      // slot a, which must hold a bool
  kNot,          // !op[a]
  kAnd,          // op[a] AND op[c]
  kOr,           // op[a] OR op[c]
  kNumRC,        // slot a <cmp> numeric constant (d, or i when const_is_int)
  kStrRC,        // slot a <cmp> string constant s
  kRR,           // slot a <cmp> slot c (numbers or strings)
  kRegex,        // slot a =~ re (negate: !~)
  kBoolRC,       // slot a ==/!= bool constant b
  kStrContains,  // strContains(slot a, constant s)
  kNumCmp,       // num op[a] <cmp> constant, as "in [d, hi]", negated when b (FloatInterval)
  kRange,        // op[a] AND op[c], two kNumRC of one slot (neither !=): a float in [d, hi]
  // Numeric operations (FastOp::nfn; float results only, anything else is "not fast"):
  kNumRef,    // slot a, which must hold a float
  kNumConst,  // d
  kNumMath,   // op[a] <bop> op[c] (+ - * /)
  kNumCall,   // f(op[a])
  // Root only, stateful (CompiledLambda::fast_state_fn_): sigma(slot a) <cmp> d, with the
  // lambda's FuncState c. It answers "not fast" only before touching the state.
  kSigmaCmp,
};

// The float functions of kNumCall (and of Math1Node).
enum class MathFn : uint8_t { kAbs, kSqrt, kFloor, kCeil };

template <MathFn M>
inline double ApplyMath(double x) {
  if constexpr (M == MathFn::kAbs) return std::fabs(x);
  if constexpr (M == MathFn::kSqrt) return std::sqrt(x);
  if constexpr (M == MathFn::kFloor) return std::floor(x);
  if constexpr (M == MathFn::kCeil) return std::ceil(x);
}

// `x <cmp> c` over the values lowest..highest as "x in [lo, hi]", negated for !=; `adjacent(c, d)`
// is the value next to c towards d (c is never that end itself).
template <typename Interval, typename T, typename Adjacent>
Interval ToInterval(FastCmp cmp, T c, T lowest, T highest, Adjacent adjacent) {
  const Interval empty{highest, lowest, false};
  switch (cmp) {
    case FastCmp::kEq:
      return {c, c, false};
    case FastCmp::kNe:
      return {c, c, true};
    case FastCmp::kLt:
      return c == lowest ? empty : Interval{lowest, adjacent(c, lowest), false};
    case FastCmp::kLe:
      return {lowest, c, false};
    case FastCmp::kGt:
      return c == highest ? empty : Interval{adjacent(c, highest), highest, false};
    case FastCmp::kGe:
      return {c, highest, false};
  }
  return empty;
}

IntInterval ToIntInterval(FastCmp cmp, int64_t c) {
  return ToInterval<IntInterval>(cmp, c, std::numeric_limits<int64_t>::min(),
                                 std::numeric_limits<int64_t>::max(),
                                 [](int64_t v, int64_t to) { return to < v ? v - 1 : v + 1; });
}

FloatInterval ToFloatInterval(FastCmp cmp, double c) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (std::isnan(c)) return {kInf, -kInf, cmp == FastCmp::kNe};  // empty: NaN equals nothing
  return ToInterval<FloatInterval>(cmp, c, -kInf, kInf,
                                   [](double v, double to) { return std::nextafter(v, to); });
}

struct FastOp {
  FastCode code = FastCode::kConst;
  FastCmp cmp = FastCmp::kEq;
  bool b = false;                 // kConst: the value; kRegex, kNumCmp: negate
  bool const_is_int = false;      // kNumRC
  BinaryOp bop = BinaryOp::kAdd;  // kNumMath
  MathFn math = MathFn::kAbs;     // kNumCall
  uint32_t a = 0, c = 0;          // slots or operation indexes
  // An operation specialised over its operands (SpecialiseLogic) keeps what it reads of them
  // here, so that its usual path does not go through them: their slots (sa, sc) and constants
  // (d, hi or s).
  uint32_t sa = 0, sc = 0;
  double d = 0;   // kNumRC: the constant as a float; kNumConst: the value; kNumCmp, kRange: the
                  // interval's lower bound; specialised AND / OR: the left constant
  double hi = 0;  // kNumCmp, kRange: the upper bound; specialised AND / OR: the right constant
  int64_t i = 0;  // kNumRC: the constant when it is an int
  std::string_view s;  // kStrRC (points into the lambda's constants)
  const re2::RE2* re = nullptr;
  uint64_t re_serial = 0;  // kRegex: process-unique id of `re` (regex memo key)
  // The specialised evaluator of this operation (set by BindFast when added to a program).
  using Fn = int (*)(const FastOp& self, const FastOp* ops, const Value* slots,
                     EvalScratch* scratch);
  Fn fn = nullptr;
  // Numeric operations: the float result in *out, or false when not on the fast path.
  using NumFn = bool (*)(const FastOp& self, const FastOp* ops, const Value* slots, double* out);
  NumFn nfn = nullptr;
};

// Sets op->fn (or nfn) from its code, comparison and operands (ops: the program so far).
void BindFast(FastOp* op, const FastOp* ops);
struct FastProgram;
void SpecialiseLogic(FastProgram* p, size_t i);
// CompiledLambda's inline form of a fast program with root `root` (shape kNone if it has none).
InlineForm ToInlineForm(const FastOp& root, const FastOp* ops);

struct FastProgram {
  std::vector<FastOp> ops;
  int Add(const FastOp& op) {
    ops.push_back(op);
    BindFast(&ops.back(), ops.data());
    SpecialiseLogic(this, ops.size() - 1);
    return static_cast<int>(ops.size() - 1);
  }
};

}  // namespace internal

namespace {

class Node {
 public:
  explicit Node(uint32_t id) : id_(id) {}
  virtual ~Node() = default;
  virtual Value Eval(const Ctx& c) const = 0;
  // Kapacitor's Type(): the kind (kUint = invalid type) or kError with *err set.
  virtual K Type(const Ctx& c, Value* err) const = 0;
  // Appends this node, as a boolean predicate, to `p` and returns its index; -1 if it has no
  // fast form (then the whole lambda has none).
  virtual int ToFast(FastProgram* /*p*/) const { return -1; }
  // The same for a node whose value is a float (a numeric operation, FastOp::nfn).
  virtual int ToFastNum(FastProgram* /*p*/) const { return -1; }
  // The stateful fast form of a whole lambda (kSigmaCmp), or -1.
  virtual int ToFastStateful(FastProgram* /*p*/) const { return -1; }
  uint32_t id() const { return id_; }
  K static_kind = kUnknownKind;
  // What the compiler needs to know about a node's class (instead of a dynamic_cast).
  enum class Tag : uint8_t { kOther, kRef, kConst, kSigma };
  Tag tag = Tag::kOther;

 private:
  uint32_t id_;
};

// The nodes of one compiled lambda, placed in one block (the first kInline bytes live inside the
// arena itself, i.e. in the lambda's Impl) and destroyed together: a lambda's evaluator tree
// costs no allocation per node.
class NodeArena {
 public:
  NodeArena() = default;
  NodeArena(const NodeArena&) = delete;
  NodeArena& operator=(const NodeArena&) = delete;
  ~NodeArena() {
    for (size_t k = nodes_.size(); k-- > 0;) nodes_[k]->~Node();
  }

  template <typename T, typename... Args>
  const Node* New(Args&&... args) {
    static_assert(std::is_base_of_v<Node, T> && alignof(T) <= alignof(std::max_align_t));
    T* n = new (Allocate(sizeof(T))) T(std::forward<Args>(args)...);
    nodes_.push_back(n);
    return n;
  }

 private:
  static constexpr size_t kInline = 1024;
  static constexpr size_t kAlign = alignof(std::max_align_t);
  void* Allocate(size_t n) {
    n = (n + kAlign - 1) & ~(kAlign - 1);
    if (n > left_) {
      const size_t size = std::max<size_t>(n, 4096);
      more_.push_back(std::make_unique_for_overwrite<char[]>(size));  // (operator new: aligned)
      next_ = more_.back().get();
      left_ = size;
    }
    void* p = next_;
    next_ += n;
    left_ -= n;
    return p;
  }

  alignas(std::max_align_t) char inline_[kInline];
  char* next_ = inline_;
  size_t left_ = kInline;
  std::vector<std::unique_ptr<char[]>> more_;
  // Every node, in creation order (children before parents): destroyed in reverse.
  absl::InlinedVector<Node*, 32> nodes_;
};

// Per-node data used to format errors.
struct NodeMeta {
  // Kapacitor's String() of the evaluator, which only error messages about function arguments
  // show: kept as what it is made from and formatted on demand (CompiledLambda::Impl::Literal).
  enum class Lit : uint8_t { kText, kInt, kFloat, kBool, kRef, kCall };
  Lit lit = Lit::kText;
  bool bool_value = false;                 // kBool
  uint32_t text_begin = 0, text_size = 0;  // kText: in Impl::literal_text
  int64_t int_value = 0;                   // kInt
  double float_value = 0;                  // kFloat
  int ref_slot = -1;                       // for references
  bool is_unary = false;
  const Node* left = nullptr;   // binary
  const Node* right = nullptr;  // binary
  BinaryOp op = BinaryOp::kOr;
  const BuiltinInfo* builtin = nullptr;          // calls
  std::vector<uint32_t> arg_ids;                 // calls
  absl::InlinedVector<const Node*, 2> children;  // every node kind
};

}  // namespace

class CompiledLambda::Impl {
 public:
  std::vector<std::string> slot_names;
  NodeArena nodes;  // (destroyed after `meta`, which points into it)
  std::vector<NodeMeta> meta;
  const Node* root = nullptr;
  bool root_is_math = false;
  std::vector<std::shared_ptr<const re2::RE2>> regexes;
  std::forward_list<std::string> strings;  // string constants (stable addresses)
  size_t num_states = 0;
  SourceRange range;
  K static_kind = K::kMissing;
  bool constant = false;
  FastProgram fast;  // the fast predicate form, when the whole lambda has one
  int fast_root = -1;
  int fast_stateful_root = -1;  // or its stateful form (kSigmaCmp)

  std::string Format(const Value& e) const;
  // Kapacitor's String() of node `id`: the source text; ints, floats and bools formatted as Go
  // does; references quoted; calls as name(arg, ...).
  std::string Literal(uint32_t id) const;
  std::vector<std::string> Literals(absl::Span<const uint32_t> ids) const {
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (uint32_t id : ids) out.push_back(Literal(id));
    return out;
  }
  // The lambda's source text, then the text of nodes outside it (inlined lambda vars).
  std::string literal_text;
  SourceRange text_range;  // of literal_text's first part in the script
};

std::string CompiledLambda::Impl::Literal(uint32_t id) const {
  if (id >= meta.size()) return "";
  const NodeMeta& m = meta[id];
  switch (m.lit) {
    case NodeMeta::Lit::kText:
      return literal_text.substr(m.text_begin, m.text_size);
    case NodeMeta::Lit::kInt:
      return absl::StrCat(m.int_value);
    case NodeMeta::Lit::kFloat: {
      std::string s;
      AppendGoFloatV(&s, m.float_value);
      return s;
    }
    case NodeMeta::Lit::kBool:
      return m.bool_value ? "true" : "false";
    case NodeMeta::Lit::kRef:
      return absl::StrCat("\"", Sv(slot_names[static_cast<size_t>(m.ref_slot)]), "\"");
    case NodeMeta::Lit::kCall:
      return absl::StrCat(m.builtin->name, "(", absl::StrJoin(Literals(m.arg_ids), ", "), ")");
  }
  return "";
}

namespace {

template <typename T>
inline int FastCompare(FastCmp cmp, T a, T b) {
  switch (cmp) {
    case FastCmp::kEq:
      return a == b;
    case FastCmp::kNe:
      return a != b;
    case FastCmp::kLt:
      return a < b;
    case FastCmp::kLe:
      return a <= b;
    case FastCmp::kGt:
      return a > b;
    case FastCmp::kGe:
      return a >= b;
  }
  return -1;
}

inline int FastStrCompare(FastCmp cmp, std::string_view a, std::string_view b) {
  if (cmp == FastCmp::kEq) return BytesEqual(a, b);
  if (cmp == FastCmp::kNe) return !BytesEqual(a, b);
  return FastCompare(cmp, a, b);
}

// Both operands of a comparison, as CmpNode treats them (numbers mix, strings compare bytes).
inline int FastCompareValues(FastCmp cmp, const Value& l, const Value& r) {
  const K lt = l.kind(), rt = r.kind();
  if (lt == K::kFloat) {
    if (rt == K::kFloat) return FastCompare(cmp, l.float_value(), r.float_value());
    if (rt == K::kInt) return FastCompare(cmp, l.float_value(), static_cast<double>(r.int_value()));
  } else if (lt == K::kInt) {
    if (rt == K::kInt) return FastCompare(cmp, l.int_value(), r.int_value());
    if (rt == K::kFloat)
      return FastCompare(cmp, static_cast<double>(l.int_value()), r.float_value());
  } else if (lt == K::kString && rt == K::kString) {
    return FastStrCompare(cmp, l.string_value(), r.string_value());
  }
  return -1;
}

// The fast operations, one specialised function each (FastOp::fn): 1 true, 0 false, -1 not on
// the fast path (see FastCode).
template <FastCmp C, bool ConstIsInt>
int FastNumRC(const FastOp& o, const FastOp*, const Value* slots, EvalScratch*) {
  const Value& v = slots[o.a];
  if (v.kind() == K::kFloat) return FastCompare(C, v.float_value(), o.d);
  if (v.kind() != K::kInt) return -1;
  if constexpr (ConstIsInt) {
    return FastCompare(C, v.int_value(), o.i);
  } else {
    return FastCompare(C, static_cast<double>(v.int_value()), o.d);
  }
}

template <FastCmp C>
int FastStrRC(const FastOp& o, const FastOp*, const Value* slots, EvalScratch*) {
  const Value& v = slots[o.a];
  if (v.kind() != K::kString) return -1;
  return FastStrCompare(C, v.string_value(), o.s);
}

template <FastCmp C>
int FastRR(const FastOp& o, const FastOp*, const Value* slots, EvalScratch*) {
  return FastCompareValues(C, slots[o.a], slots[o.c]);
}

template <bool IsAnd>
int FastLogic(const FastOp& o, const FastOp* ops, const Value* slots, EvalScratch* scratch) {
  const FastOp& l = ops[o.a];
  const int lv = l.fn(l, ops, slots, scratch);
  if (lv < 0) return -1;
  const FastOp& r = ops[o.c];
  if (lv != static_cast<int>(IsAnd)) {
    // Short circuit. Kapacitor still checks the right operand's type: comparisons, regex
    // matches and logic are always booleans; a reference is one if its value is, and
    // strContains if its argument is a string (else its signature error is the result).
    if (r.code == FastCode::kBoolRef && slots[r.a].kind() != K::kBool) return -1;
    if (r.code == FastCode::kStrContains && slots[r.a].kind() != K::kString) return -1;
    return lv;
  }
  return r.fn(r, ops, slots, scratch);
}

// Whether x lies in the interval [d, hi] of o, negated when o.b (kNumCmp, kRange: see
// FloatInterval).
ABSL_ATTRIBUTE_ALWAYS_INLINE inline int InInterval(const FastOp& o, double x) {
  return ((o.d <= x) & (x <= o.hi)) != o.b;
}

// AND of two comparisons of one slot with numbers (`"v" > 30 AND "v" < 50`): for a float, one
// interval test (the intersection of the comparisons' intervals; NaN is in none, and the AND is
// false for it too); other kinds take the operands' own functions.
int FastRange(const FastOp& o, const FastOp* ops, const Value* slots, EvalScratch* scratch) {
  const Value& v = slots[o.sa];
  if (v.kind() != K::kFloat) [[unlikely]]
    return FastLogic<true>(o, ops, slots, scratch);
  return InInterval(o, v.float_value());  // (b is false: an intersection is never negated)
}

template <bool Negate>
ABSL_ATTRIBUTE_NOINLINE int FastRegexMiss(const FastOp& o, std::string_view s,
                                          EvalScratch* scratch) {
  return internal::ScratchAccess::RegexMatchMiss(scratch, *o.re, o.re_serial, s) != Negate;
}

// A memo hit is answered inline; anything else is a tail call, so the hit path saves nothing.
template <bool Negate>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline int FastRegex(const FastOp& o, const FastOp*,
                                                  const Value* slots, EvalScratch* scratch) {
  const Value& v = slots[o.a];
  if (v.kind() != K::kString || scratch == nullptr) return -1;
  const int hit = internal::ScratchAccess::RegexMemoHit(scratch, o.re_serial, v.string_value());
  if (hit >= 0) [[likely]]
    return hit != static_cast<int>(Negate);
  return FastRegexMiss<Negate>(o, v.string_value(), scratch);
}

int FastConst(const FastOp& o, const FastOp*, const Value*, EvalScratch*) { return o.b; }

template <bool Equal>
int FastBoolRC(const FastOp& o, const FastOp*, const Value* slots, EvalScratch*) {
  const Value& v = slots[o.a];
  if (v.kind() != K::kBool) return -1;
  return (v.bool_value() == o.b) == Equal;
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline int FastStrContains(const FastOp& o, const FastOp*,
                                                        const Value* slots, EvalScratch*) {
  const Value& v = slots[o.a];
  if (v.kind() != K::kString) return -1;
  return BytesContain(v.string_value(), o.s);
}

// Calls f(std::integral_constant<E, v>{}) for the runtime value v among the listed values (the
// last one is the default): picks the instantiation of a function template for a comparison,
// operand kind or function known only when the lambda is compiled.
template <auto First, auto... Rest, typename F>
auto WithValue(decltype(First) v, F f) {
  if constexpr (sizeof...(Rest) == 0) {
    return f(std::integral_constant<decltype(First), First>{});
  } else {
    if (v == First) return f(std::integral_constant<decltype(First), First>{});
    return WithValue<Rest...>(v, f);
  }
}

template <typename F>
auto WithCmp(FastCmp c, F f) {
  return WithValue<FastCmp::kEq, FastCmp::kNe, FastCmp::kLt, FastCmp::kLe, FastCmp::kGt,
                   FastCmp::kGe>(c, f);
}

// How a numeric operation reads an operand, fixed when the operation is bound: a reference or
// a constant is read in place, anything else is computed by its function.
enum class NumArg : uint8_t { kRef, kConst, kFn };

NumArg NumArgOf(const FastOp& x) {
  if (x.code == FastCode::kNumRef) return NumArg::kRef;
  if (x.code == FastCode::kNumConst) return NumArg::kConst;
  return NumArg::kFn;
}

template <typename F>
auto WithNumArg(NumArg a, F f) {
  return WithValue<NumArg::kRef, NumArg::kConst, NumArg::kFn>(a, f);
}

template <NumArg A>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool FastNumOperand(const FastOp& x, const FastOp* ops,
                                                        const Value* slots, double* out) {
  if constexpr (A == NumArg::kRef) {
    const Value& v = slots[x.a];
    if (v.kind() != K::kFloat) return false;
    *out = v.float_value();
    return true;
  } else if constexpr (A == NumArg::kConst) {
    *out = x.d;
    return true;
  } else {
    return x.nfn(x, ops, slots, out);
  }
}

template <NumArg A>
int FastNumCmp(const FastOp& o, const FastOp* ops, const Value* slots, EvalScratch*) {
  double x;
  if (!FastNumOperand<A>(ops[o.a], ops, slots, &x)) return -1;
  return InInterval(o, x);
}

bool FastNumRef(const FastOp& o, const FastOp*, const Value* slots, double* out) {
  return FastNumOperand<NumArg::kRef>(o, nullptr, slots, out);
}

bool FastNumConst(const FastOp& o, const FastOp*, const Value*, double* out) {
  *out = o.d;
  return true;
}

template <BinaryOp Op, NumArg L, NumArg R>
bool FastNumMath(const FastOp& o, const FastOp* ops, const Value* slots, double* out) {
  double a, b;
  if (!FastNumOperand<L>(ops[o.a], ops, slots, &a) ||
      !FastNumOperand<R>(ops[o.c], ops, slots, &b)) {
    return false;
  }
  if constexpr (Op == BinaryOp::kAdd) *out = a + b;
  if constexpr (Op == BinaryOp::kSub) *out = a - b;
  if constexpr (Op == BinaryOp::kMul) *out = a * b;
  if constexpr (Op == BinaryOp::kDiv) *out = a / b;
  return true;
}

template <MathFn M, NumArg A>
bool FastNumCall(const FastOp& o, const FastOp* ops, const Value* slots, double* out) {
  double x;
  if (!FastNumOperand<A>(ops[o.a], ops, slots, &x)) return false;
  *out = ApplyMath<M>(x);
  return true;
}

FastOp::NumFn PickNumMath(BinaryOp op, NumArg l, NumArg r) {
  return WithValue<BinaryOp::kAdd, BinaryOp::kSub, BinaryOp::kMul, BinaryOp::kDiv>(
      op, [l, r](auto o) {
        return WithNumArg(l, [r](auto lk) {
          return WithNumArg(r, [](auto rk) -> FastOp::NumFn {
            return FastNumMath<decltype(o)::value, decltype(lk)::value, decltype(rk)::value>;
          });
        });
      });
}

// f(slot op constant), e.g. abs("usage_idle" - 50.0): the call and its arithmetic in one
// function (o.a is the kNumMath operation, whose operands are a kNumRef and a kNumConst).
template <MathFn M, BinaryOp Op>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool FastNumCallMathRC(const FastOp& o, const FastOp* ops,
                                                           const Value* slots, double* out) {
  const FastOp& m = ops[o.a];
  double x;
  if (!FastNumOperand<NumArg::kRef>(ops[m.a], ops, slots, &x)) return false;
  const double c = ops[m.c].d;
  if constexpr (Op == BinaryOp::kAdd) x = x + c;
  if constexpr (Op == BinaryOp::kSub) x = x - c;
  if constexpr (Op == BinaryOp::kMul) x = x * c;
  if constexpr (Op == BinaryOp::kDiv) x = x / c;
  *out = ApplyMath<M>(x);
  return true;
}

// `f(slot op constant) <cmp> constant` (`abs("usage_idle" - 50.0) > 40.0`) in one function.
template <MathFn M, BinaryOp Op>
int FastNumCmpMathRC(const FastOp& o, const FastOp* ops, const Value* slots, EvalScratch*) {
  double x;
  if (!FastNumCallMathRC<M, Op>(ops[o.a], ops, slots, &x)) return -1;
  return InInterval(o, x);
}

// Whether FastNumCallMathRC computes `arg` (a call's operand).
bool IsMathRC(const FastOp& arg, const FastOp* ops) {
  return arg.code == FastCode::kNumMath && NumArgOf(ops[arg.a]) == NumArg::kRef &&
         NumArgOf(ops[arg.c]) == NumArg::kConst;
}

template <typename F>
auto WithMathRC(MathFn m, BinaryOp op, F f) {
  return WithValue<MathFn::kAbs, MathFn::kSqrt, MathFn::kFloor, MathFn::kCeil>(m, [&](auto fk) {
    return WithValue<BinaryOp::kAdd, BinaryOp::kSub, BinaryOp::kMul, BinaryOp::kDiv>(
        op, [&](auto ok) { return f(fk, ok); });
  });
}

// `arg` is the operation the call applies to.
FastOp::NumFn PickNumCall(MathFn m, const FastOp& arg, const FastOp* ops) {
  if (IsMathRC(arg, ops)) {
    return WithMathRC(m, arg.bop, [](auto fk, auto ok) -> FastOp::NumFn {
      return FastNumCallMathRC<decltype(fk)::value, decltype(ok)::value>;
    });
  }
  return WithValue<MathFn::kAbs, MathFn::kSqrt, MathFn::kFloor, MathFn::kCeil>(
      m, [a = NumArgOf(arg)](auto f) -> FastOp::NumFn {
        return WithNumArg(a, [](auto k) -> FastOp::NumFn {
          return FastNumCall<decltype(f)::value, decltype(k)::value>;
        });
      });
}

int FastBoolRef(const FastOp& o, const FastOp*, const Value* slots, EvalScratch*) {
  const Value& v = slots[o.a];
  return v.kind() == K::kBool ? v.bool_value() : -1;
}

// kSigmaCmp (CompiledLambda::fast_state_fn_): the slot is checked before the state is updated,
// so "not fast" leaves the state untouched for the general evaluator.
template <FastCmp C>
int FastSigmaCmp(const FastOp& o, const Value* slots, EvalState* state) {
  const Value& v = slots[o.a];
  if (v.kind() != K::kFloat || state == nullptr) return -1;
  FuncState& st = static_cast<StateImpl*>(state)->states[o.c];
  return FastCompare(C, SigmaUpdate(&st, v.float_value()), o.d);
}

using FastStateFn = int (*)(const FastOp& self, const Value* slots, EvalState* state);
FastStateFn PickSigmaCmp(FastCmp c) {
  return WithCmp(c, [](auto k) -> FastStateFn { return FastSigmaCmp<decltype(k)::value>; });
}

int FastNot(const FastOp& o, const FastOp* ops, const Value* slots, EvalScratch* scratch) {
  const FastOp& c = ops[o.a];
  const int v = c.fn(c, ops, slots, scratch);
  return v < 0 ? -1 : !v;
}

}  // namespace

// NOT of a reference (`!"value"`), the reference read in place.
int FastNotBoolRef(const FastOp& o, const FastOp*, const Value* slots, EvalScratch*) {
  const Value& v = slots[o.sa];
  return v.kind() == K::kBool ? !v.bool_value() : -1;
}

// Sets op->fn from its code (and comparison).
void internal::BindFast(FastOp* op, const FastOp* ops) {
  switch (op->code) {
    case FastCode::kConst:
      op->fn = FastConst;
      break;
    case FastCode::kBoolRef:
      op->fn = FastBoolRef;
      break;
    case FastCode::kNot:
      op->fn = FastNot;
      break;
    case FastCode::kAnd:
      op->fn = FastLogic<true>;
      break;
    case FastCode::kRange:
      op->fn = FastRange;
      break;
    case FastCode::kOr:
      op->fn = FastLogic<false>;
      break;
    case FastCode::kNumRC:
      op->fn = WithCmp(op->cmp, [int_const = op->const_is_int](auto k) -> FastOp::Fn {
        return int_const ? FastNumRC<decltype(k)::value, true>
                         : FastNumRC<decltype(k)::value, false>;
      });
      break;
    case FastCode::kStrRC:
      op->fn = WithCmp(op->cmp, [](auto k) -> FastOp::Fn { return FastStrRC<decltype(k)::value>; });
      break;
    case FastCode::kRR:
      op->fn = WithCmp(op->cmp, [](auto k) -> FastOp::Fn { return FastRR<decltype(k)::value>; });
      break;
    case FastCode::kRegex:
      op->fn = op->b ? FastRegex<true> : FastRegex<false>;
      break;
    case FastCode::kBoolRC:
      op->fn = op->cmp == FastCmp::kEq ? FastBoolRC<true> : FastBoolRC<false>;
      break;
    case FastCode::kStrContains:
      op->fn = FastStrContains;
      break;
    case FastCode::kNumCmp: {
      const FastOp& x = ops[op->a];
      if (x.code == FastCode::kNumCall && IsMathRC(ops[x.a], ops)) {
        op->fn = WithMathRC(x.math, ops[x.a].bop, [](auto fk, auto ok) -> FastOp::Fn {
          return FastNumCmpMathRC<decltype(fk)::value, decltype(ok)::value>;
        });
      } else {
        op->fn = WithNumArg(NumArgOf(x),
                            [](auto ak) -> FastOp::Fn { return FastNumCmp<decltype(ak)::value>; });
      }
      break;
    }
    case FastCode::kNumRef:
      op->nfn = FastNumRef;
      break;
    case FastCode::kNumConst:
      op->nfn = FastNumConst;
      break;
    case FastCode::kNumMath:  // (+ - * /: ToFastNum compiles no other operator)
      op->nfn = PickNumMath(op->bop, NumArgOf(ops[op->a]), NumArgOf(ops[op->c]));
      break;
    case FastCode::kNumCall:
      op->nfn = PickNumCall(op->math, ops[op->a], ops);
      break;
    case FastCode::kSigmaCmp:  // bound by the CompiledLambda (fast_state_fn_)
      break;
  }
}

namespace {

// AND / OR of two slot-against-constant comparisons (`"a" > 10 AND "b" < 5`, `"v" < 10 AND
// "host" == 'x'`), the commonest alert rules: both comparisons are compiled into one function
// for the usual operand kinds (a float slot; a string slot for ==/!=); other kinds take the
// operands' own functions. A comparison is always a boolean, so the short circuit needs no
// type check of the right operand.
// The right operands of FastLogicNumLeaf: the kind its slot must hold, and the test.
template <FastCmp CR>
struct NumRight {
  static constexpr K kKind = K::kFloat;
  static int Eval(const FastOp& o, const Value& v) {
    return FastCompare(CR, v.float_value(), o.hi);
  }
};
template <bool Equal, bool Words>  // Words: a constant of 8 to 16 bytes, two word compares
struct StrEqRight {
  static constexpr K kKind = K::kString;
  static int Eval(const FastOp& o, const Value& rv) {
    if constexpr (Words) {
      const std::string_view v = rv.string_value();
      const size_t n = o.s.size();
      if (v.size() != n) return !Equal;
      uint64_t x0, x1, y0, y1;
      std::memcpy(&x0, v.data(), 8);
      std::memcpy(&x1, v.data() + n - 8, 8);
      std::memcpy(&y0, o.s.data(), 8);
      std::memcpy(&y1, o.s.data() + n - 8, 8);
      return (((x0 ^ y0) | (x1 ^ y1)) == 0) == Equal;
    } else {
      return BytesEqual(rv.string_value(), o.s) == Equal;
    }
  }
};

template <bool IsAnd, FastCmp CL, typename Right>
int FastLogicNumLeaf(const FastOp& o, const FastOp* ops, const Value* slots, EvalScratch* scratch) {
  const Value& lv = slots[o.sa];
  const Value& rv = slots[o.sc];
  // Other kinds: the operands' own functions (a tail call, so the usual path saves nothing).
  if (lv.kind() != K::kFloat || rv.kind() != Right::kKind) [[unlikely]] {
    return FastLogic<IsAnd>(o, ops, slots, scratch);
  }
  const bool lt = FastCompare(CL, lv.float_value(), o.d);
  if (lt != IsAnd) return lt;
  return Right::Eval(o, rv);
}

// AND / OR whose right operand is a regex match or strContains (`... OR "host" =~ /.../`,
// `... AND strContains("host", 'x')`): the right operand is inlined. A match is always a
// boolean; strContains is one when its argument is a string (the short circuit checks that, as
// FastLogic does).
template <bool IsAnd, int (*Right)(const FastOp&, const FastOp*, const Value*, EvalScratch*),
          bool RightNeedsString>
int FastLogicLeaf(const FastOp& o, const FastOp* ops, const Value* slots, EvalScratch* scratch) {
  const FastOp& l = ops[o.a];
  const int lv = l.fn(l, ops, slots, scratch);
  if (lv < 0) return -1;
  const FastOp& r = ops[o.c];
  if (lv != static_cast<int>(IsAnd)) {
    if constexpr (RightNeedsString) {
      if (slots[r.a].kind() != K::kString) return -1;
    }
    return lv;
  }
  return Right(r, ops, slots, scratch);
}

template <bool IsAnd>
FastOp::Fn PickLogic(const FastOp& l, const FastOp& r) {
  if (r.code == FastCode::kRegex) {
    return r.b ? FastLogicLeaf<IsAnd, FastRegex<true>, false>
               : FastLogicLeaf<IsAnd, FastRegex<false>, false>;
  }
  if (r.code == FastCode::kStrContains) return FastLogicLeaf<IsAnd, FastStrContains, true>;
  if (l.code != FastCode::kNumRC) return nullptr;
  return WithCmp(l.cmp, [&](auto cl) -> FastOp::Fn {
    constexpr FastCmp CL = decltype(cl)::value;
    if (r.code == FastCode::kNumRC) {
      return WithCmp(r.cmp, [](auto cr) -> FastOp::Fn {
        return FastLogicNumLeaf<IsAnd, CL, NumRight<decltype(cr)::value>>;
      });
    }
    if (r.code == FastCode::kStrRC && (r.cmp == FastCmp::kEq || r.cmp == FastCmp::kNe)) {
      const bool equal = r.cmp == FastCmp::kEq;
      if (r.s.size() >= 8 && r.s.size() <= 16) {
        return equal ? FastLogicNumLeaf<IsAnd, CL, StrEqRight<true, true>>
                     : FastLogicNumLeaf<IsAnd, CL, StrEqRight<false, true>>;
      }
      return equal ? FastLogicNumLeaf<IsAnd, CL, StrEqRight<true, false>>
                   : FastLogicNumLeaf<IsAnd, CL, StrEqRight<false, false>>;
    }
    return nullptr;
  });
}

}  // namespace

void internal::SpecialiseLogic(FastProgram* p, size_t i) {
  FastOp& op = p->ops[i];
  if (op.code == FastCode::kNot && p->ops[op.a].code == FastCode::kBoolRef) {
    op.sa = p->ops[op.a].a;
    op.fn = FastNotBoolRef;
    return;
  }
  if (op.code != FastCode::kAnd && op.code != FastCode::kOr) return;
  const FastOp& l = p->ops[op.a];
  const FastOp& r = p->ops[op.c];
  if (l.code == FastCode::kNumRC && (r.code == FastCode::kNumRC || r.code == FastCode::kStrRC)) {
    // What the specialised forms (range, NumNum, NumStr) read of their operands (FastOp::sa).
    op.sa = l.a;
    op.sc = r.a;
    op.d = l.d;
    op.hi = r.d;
    op.s = r.s;
  }
  if (op.code == FastCode::kAnd && l.code == FastCode::kNumRC && r.code == FastCode::kNumRC &&
      l.a == r.a && l.cmp != FastCmp::kNe && r.cmp != FastCmp::kNe) {
    const FloatInterval li = ToFloatInterval(l.cmp, l.d), ri = ToFloatInterval(r.cmp, r.d);
    op.code = FastCode::kRange;
    op.d = std::max(li.lo, ri.lo);
    op.hi = std::min(li.hi, ri.hi);
    op.fn = FastRange;
    return;
  }
  FastOp::Fn fn = op.code == FastCode::kAnd ? PickLogic<true>(l, r) : PickLogic<false>(l, r);
  if (fn != nullptr) op.fn = fn;
}

namespace {

// A comparison of a slot with a number (kNumRC) or a range of one slot (kRange) as an interval.
bool ToSlotInterval(const FastOp& op, SlotInterval* out) {
  if (op.code == FastCode::kNumRC) {
    const FloatInterval in = ToFloatInterval(op.cmp, op.d);
    *out = SlotInterval{};
    out->lo = in.lo;
    out->hi = in.hi;
    out->slot = op.a;
    out->negate = in.negate;
    if (op.const_is_int) {
      const IntInterval ii = ToIntInterval(op.cmp, op.i);
      out->const_is_int = true;
      out->ilo = ii.lo;
      out->ihi = ii.hi;
    }
    return true;
  }
  if (op.code == FastCode::kRange) {
    // (Only its float form is inline: an int value takes the fast form.)
    *out = SlotInterval{};
    out->lo = op.d;
    out->hi = op.hi;
    out->slot = op.sa;
    return true;
  }
  return false;
}

}  // namespace

InlineForm internal::ToInlineForm(const FastOp& root, const FastOp* ops) {
  InlineForm f;
  if (ToSlotInterval(root, &f.first)) {
    f.shape = InlineForm::Shape::kOne;
  } else if ((root.code == FastCode::kAnd || root.code == FastCode::kOr) &&
             ToSlotInterval(ops[root.a], &f.first) && ToSlotInterval(ops[root.c], &f.second)) {
    f.shape = root.code == FastCode::kAnd ? InlineForm::Shape::kAnd : InlineForm::Shape::kOr;
  }
  return f;
}

namespace {

std::string FormatErr(const Ctx& c, const Value& e) { return c.impl->Format(e); }

Value Dynamic(EvalScratch* scratch, std::string msg) {
  return Value::Error(kErrDynamic, 0,
                      reinterpret_cast<uintptr_t>(scratch->StoreMessage(std::move(msg))));
}

uint64_t Pack3(K a, BinaryOp op, K b) {
  return static_cast<uint64_t>(a) | static_cast<uint64_t>(op) << 8 | static_cast<uint64_t>(b) << 16;
}

// determineError with a scope (comparison and logical nodes).
Value ScopeError(uint32_t id, BinaryOp op, K lt, K rt) {
  if (lt == K::kUint) return Value::Error(kErrInvalidOperand, id, 0);
  if (lt == K::kMissing) return Value::Error(kErrMissingOperand, id, 0);
  if (rt == K::kUint) return Value::Error(kErrInvalidOperand, id, 1);
  if (rt == K::kMissing) return Value::Error(kErrMissingOperand, id, 1);
  if (!TypeSupportsOp(lt, op)) {
    return Value::Error(kErrInvalidOperator, id, static_cast<uint64_t>(op) | uint64_t(lt) << 8);
  }
  return Value::Error(kErrMismatch, id, Pack3(lt, op, rt));
}

// determineError without a scope (math nodes, whose type is always queried first).
Value NilScopeError(uint32_t id, BinaryOp op, K lt, K rt) {
  if (lt != K::kUint && !TypeSupportsOp(lt, op)) {
    return Value::Error(kErrInvalidOperator, id, static_cast<uint64_t>(op) | uint64_t(lt) << 8);
  }
  if (lt == K::kUint && rt != K::kUint) {
    return Value::Error(kErrInvalidOperator, id, static_cast<uint64_t>(op) | uint64_t(rt) << 8);
  }
  return Value::Error(kErrMismatch, id, Pack3(lt, op, rt));
}

// ---- operand accessors (templated shapes) ----
struct RefA {
  uint32_t slot;
  Value Get(const Ctx& c) const { return c.slots[slot]; }
  K Type(const Ctx& c, Value* err) const {
    const Value& v = c.slots[slot];
    if (v.is_error()) {
      *err = v;
      return K::kError;
    }
    return v.kind();
  }
};
struct ConstA {
  Value v;
  Value Get(const Ctx&) const { return v; }
  K Type(const Ctx&, Value*) const { return v.kind(); }
};
struct NodeA {
  const Node* n;
  Value Get(const Ctx& c) const { return n->Eval(c); }
  K Type(const Ctx& c, Value* err) const {
    if (n->static_kind != kUnknownKind) return n->static_kind;
    return n->Type(c, err);
  }
};

// Numeric fast forms of operands.
int FastNumOf(FastProgram* p, RefA a) {
  FastOp op;
  op.code = FastCode::kNumRef;
  op.a = a.slot;
  return p->Add(op);
}
int FastNumOf(FastProgram* p, ConstA a) {
  if (a.v.kind() != K::kFloat) return -1;  // int constants make float math a type error
  FastOp op;
  op.code = FastCode::kNumConst;
  op.d = a.v.float_value();
  return p->Add(op);
}
int FastNumOf(FastProgram* p, NodeA a) { return a.n->ToFastNum(p); }

class ConstNode final : public Node {
 public:
  ConstNode(uint32_t id, Value v) : Node(id), v_(v) {
    static_kind = v.kind();
    tag = Tag::kConst;
  }
  Value Eval(const Ctx&) const override { return v_; }
  K Type(const Ctx&, Value*) const override { return v_.kind(); }
  int ToFast(FastProgram* p) const override {
    if (v_.kind() != K::kBool) return -1;
    FastOp op;
    op.code = FastCode::kConst;
    op.b = v_.bool_value();
    return p->Add(op);
  }
  int ToFastNum(FastProgram* p) const override { return FastNumOf(p, ConstA{v_}); }
  Value value() const { return v_; }

 private:
  Value v_;
};

class RefNode final : public Node {
 public:
  RefNode(uint32_t id, uint32_t slot) : Node(id), a_{slot} { tag = Tag::kRef; }
  Value Eval(const Ctx& c) const override { return a_.Get(c); }
  K Type(const Ctx& c, Value* err) const override { return a_.Type(c, err); }
  int ToFast(FastProgram* p) const override {
    FastOp op;
    op.code = FastCode::kBoolRef;
    op.a = a_.slot;
    return p->Add(op);
  }
  int ToFastNum(FastProgram* p) const override { return FastNumOf(p, a_); }
  uint32_t slot() const { return a_.slot; }

 private:
  RefA a_;
};

const RefNode* AsRef(const Node* n) {
  return n->tag == Node::Tag::kRef ? static_cast<const RefNode*>(n) : nullptr;
}
const ConstNode* AsConst(const Node* n) {
  return n->tag == Node::Tag::kConst ? static_cast<const ConstNode*>(n) : nullptr;
}

class NotNode final : public Node {
 public:
  NotNode(uint32_t id, const Node* child) : Node(id), child_(child) { static_kind = K::kBool; }
  Value Eval(const Ctx& c) const override {
    Value v = child_->Eval(c);
    if (v.kind() == K::kBool) return Value::Bool(!v.bool_value());
    if (v.is_error()) return v;
    return Value::Error(kErrTypeGuard, id(),
                        static_cast<uint64_t>(v.kind()) | uint64_t(K::kBool) << 8);
  }
  K Type(const Ctx&, Value*) const override { return K::kBool; }
  int ToFast(FastProgram* p) const override {
    const int child = child_->ToFast(p);
    if (child < 0) return -1;
    FastOp op;
    op.code = FastCode::kNot;
    op.a = static_cast<uint32_t>(child);
    return p->Add(op);
  }

 private:
  const Node* child_;
};

class NegNode final : public Node {
 public:
  NegNode(uint32_t id, const Node* child) : Node(id), child_(child) {
    static_kind = child->static_kind;
  }
  Value Eval(const Ctx& c) const override {
    Value v = child_->Eval(c);
    switch (v.kind()) {
      case K::kFloat:
        return Value::Float(-v.float_value());
      case K::kInt:
        return Value::Int(static_cast<int64_t>(0 - static_cast<uint64_t>(v.int_value())));
      case K::kDuration:
        return Value::Duration(static_cast<int64_t>(0 - static_cast<uint64_t>(v.int_value())));
      case K::kMissing:
      case K::kUint:
      case K::kError:
        return v;
      default:
        return Value::Error(kErrTypeGuard, id(),
                            static_cast<uint64_t>(K::kUint) | uint64_t(v.kind()) << 8);
    }
  }
  K Type(const Ctx& c, Value* err) const override { return NodeA{child_}.Type(c, err); }

 private:
  const Node* child_;
};

template <BinaryOp Op, typename T>
inline bool CmpT(T a, T b) {
  if constexpr (Op == BinaryOp::kEq) return a == b;
  if constexpr (Op == BinaryOp::kNe) return a != b;
  if constexpr (Op == BinaryOp::kLt) return a < b;
  if constexpr (Op == BinaryOp::kLe) return a <= b;
  if constexpr (Op == BinaryOp::kGt) return a > b;
  if constexpr (Op == BinaryOp::kGe) return a >= b;
  return false;
}

// Process-unique, never 0 (EvalScratch::RegexMatch's empty-entry marker).
uint64_t NextRegexSerial() {
  static std::atomic<uint64_t> serial{0};
  return serial.fetch_add(1, std::memory_order_relaxed) + 1;
}

FastCmp ToFastCmp(BinaryOp op) {
  switch (op) {
    case BinaryOp::kNe:
      return FastCmp::kNe;
    case BinaryOp::kLt:
      return FastCmp::kLt;
    case BinaryOp::kLe:
      return FastCmp::kLe;
    case BinaryOp::kGt:
      return FastCmp::kGt;
    case BinaryOp::kGe:
      return FastCmp::kGe;
    default:
      return FastCmp::kEq;
  }
}

// `a op b` ⇔ `b Mirror(op) a`.
BinaryOp Mirror(BinaryOp op) {
  switch (op) {
    case BinaryOp::kLt:
      return BinaryOp::kGt;
    case BinaryOp::kLe:
      return BinaryOp::kGe;
    case BinaryOp::kGt:
      return BinaryOp::kLt;
    case BinaryOp::kGe:
      return BinaryOp::kLe;
    default:
      return op;
  }
}

int CmpToFast(FastProgram* p, BinaryOp bop, RefA l, ConstA r) {
  FastOp op;
  op.cmp = ToFastCmp(bop);
  op.a = l.slot;
  switch (r.v.kind()) {
    case K::kFloat:
      op.code = FastCode::kNumRC;
      op.d = r.v.float_value();
      break;
    case K::kInt:
      op.code = FastCode::kNumRC;
      op.const_is_int = true;
      op.i = r.v.int_value();
      op.d = static_cast<double>(op.i);
      break;
    case K::kString:
      op.code = FastCode::kStrRC;
      op.s = r.v.string_value();
      break;
    case K::kBool:
      if (bop != BinaryOp::kEq && bop != BinaryOp::kNe) return -1;
      op.code = FastCode::kBoolRC;
      op.b = r.v.bool_value();
      break;
    default:
      return -1;
  }
  return p->Add(op);
}
// `sigma("ref") <op> constant` as the whole lambda (defined after SigmaNode).
int SigmaCmpToFast(FastProgram* p, BinaryOp bop, const Node* l, const Value& r);

int CmpToFast(FastProgram* p, BinaryOp bop, NodeA l, ConstA r) {
  if (r.v.kind() != K::kFloat && r.v.kind() != K::kInt) return -1;
  const int left = l.n->ToFastNum(p);
  if (left < 0) return -1;
  FastOp op;
  op.code = FastCode::kNumCmp;
  op.cmp = ToFastCmp(bop);
  op.a = static_cast<uint32_t>(left);
  const FloatInterval in = ToFloatInterval(
      op.cmp, r.v.kind() == K::kFloat ? r.v.float_value() : static_cast<double>(r.v.int_value()));
  op.d = in.lo;
  op.hi = in.hi;
  op.b = in.negate;
  return p->Add(op);
}
int CmpToFast(FastProgram* p, BinaryOp bop, ConstA l, RefA r) {
  return CmpToFast(p, Mirror(bop), r, l);
}
int CmpToFast(FastProgram* p, BinaryOp bop, RefA l, RefA r) {
  FastOp op;
  op.code = FastCode::kRR;
  op.cmp = ToFastCmp(bop);
  op.a = l.slot;
  op.c = r.slot;
  return p->Add(op);
}
template <typename LA, typename RA>
int CmpToFast(FastProgram*, BinaryOp, LA, RA) {
  return -1;
}

// Comparison (== != < <= > >=).
template <BinaryOp Op, typename LA, typename RA>
class CmpNode final : public Node {
 public:
  CmpNode(uint32_t id, LA l, RA r) : Node(id), l_(l), r_(r) { static_kind = K::kBool; }
  Value Eval(const Ctx& c) const override {
    const Value l = l_.Get(c);
    if (l.is_error()) return l;
    const Value r = r_.Get(c);
    if (r.is_error()) return r;
    const K lt = l.kind(), rt = r.kind();
    if (lt == K::kFloat) {
      if (rt == K::kFloat) return Value::Bool(CmpT<Op>(l.float_value(), r.float_value()));
      if (rt == K::kInt) {
        return Value::Bool(CmpT<Op>(l.float_value(), static_cast<double>(r.int_value())));
      }
    } else if (lt == K::kInt) {
      if (rt == K::kInt) return Value::Bool(CmpT<Op>(l.int_value(), r.int_value()));
      if (rt == K::kFloat) {
        return Value::Bool(CmpT<Op>(static_cast<double>(l.int_value()), r.float_value()));
      }
    } else if (lt == rt) {
      if (lt == K::kString) return Value::Bool(CmpT<Op>(l.string_value(), r.string_value()));
      if (lt == K::kDuration) return Value::Bool(CmpT<Op>(l.int_value(), r.int_value()));
      if (lt == K::kBool && (Op == BinaryOp::kEq || Op == BinaryOp::kNe)) {
        return Value::Bool(CmpT<Op>(l.bool_value(), r.bool_value()));
      }
    }
    return ScopeError(id(), Op, lt, rt);
  }
  K Type(const Ctx&, Value*) const override { return K::kBool; }
  int ToFast(FastProgram* p) const override { return CmpToFast(p, Op, l_, r_); }
  int ToFastStateful(FastProgram* p) const override {
    if constexpr (std::is_same_v<LA, NodeA> && std::is_same_v<RA, ConstA>) {
      return SigmaCmpToFast(p, Op, l_.n, r_.v);
    } else {
      return -1;
    }
  }

 private:
  LA l_;
  RA r_;
};

// =~ and !~.
template <bool Negate, typename LA, typename RA>
class RegexNode final : public Node {
 public:
  RegexNode(uint32_t id, LA l, RA r) : Node(id), l_(l), r_(r) { static_kind = K::kBool; }
  Value Eval(const Ctx& c) const override {
    const Value l = l_.Get(c);
    if (l.is_error()) return l;
    const Value r = r_.Get(c);
    if (r.is_error()) return r;
    if (l.kind() == K::kString && r.kind() == K::kRegex) {
      std::string_view s = l.string_value();
      bool m = re2::RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *r.regex_value());
      return Value::Bool(m != Negate);
    }
    return ScopeError(id(), Negate ? BinaryOp::kRegexNotMatch : BinaryOp::kRegexMatch, l.kind(),
                      r.kind());
  }
  K Type(const Ctx&, Value*) const override { return K::kBool; }
  int ToFast(FastProgram* p) const override {
    if constexpr (std::is_same_v<LA, RefA> && std::is_same_v<RA, ConstA>) {
      if (r_.v.kind() != K::kRegex || r_.v.regex_value() == nullptr) return -1;
      FastOp op;
      op.code = FastCode::kRegex;
      op.b = Negate;
      op.a = l_.slot;
      op.re = r_.v.regex_value();
      op.re_serial = NextRegexSerial();
      return p->Add(op);
    } else {
      return -1;
    }
  }

 private:
  LA l_;
  RA r_;
};

// AND / OR with Kapacitor's type check of both operands before short-circuit evaluation.
template <bool IsAnd>
class LogicNode final : public Node {
 public:
  LogicNode(uint32_t id, const Node* l, const Node* r) : Node(id), l_{l}, r_{r} {
    static_kind = K::kBool;
  }
  // Operands are evaluated first and their kinds checked afterwards; the right operand's type
  // is computed without evaluating it only when the left one short-circuits (Kapacitor checks
  // it before evaluating anything: `FALSE AND "missing"` is an error, not false).
  Value Eval(const Ctx& c) const override {
    constexpr BinaryOp op = IsAnd ? BinaryOp::kAnd : BinaryOp::kOr;
    const Value l = l_.Get(c);
    if (l.kind() == K::kBool) {
      if (l.bool_value() != IsAnd) {
        if (r_.n->static_kind == K::kBool) return l;
        Value err;
        const K rt = r_.n->Type(c, &err);
        if (rt == K::kError) return err;
        return rt == K::kBool ? l : ScopeError(id(), op, K::kBool, rt);
      }
      const Value r = r_.Get(c);
      if (r.kind() == K::kBool) return r;
      return r.is_error() ? r : ScopeError(id(), op, K::kBool, r.kind());
    }
    if (l.is_error()) return l;
    Value err;
    const K rt = r_.Type(c, &err);
    if (rt == K::kError) return err;
    return ScopeError(id(), op, l.kind(), rt);
  }
  K Type(const Ctx&, Value*) const override { return K::kBool; }
  int ToFast(FastProgram* p) const override {
    const int l = l_.n->ToFast(p);
    if (l < 0) return -1;
    const int r = r_.n->ToFast(p);
    if (r < 0) return -1;
    FastOp op;
    op.code = IsAnd ? FastCode::kAnd : FastCode::kOr;
    op.a = static_cast<uint32_t>(l);
    op.c = static_cast<uint32_t>(r);
    return p->Add(op);
  }

 private:
  NodeA l_, r_;
};

// Math operators (+ - * / %): type errors use determineError without scope.
template <BinaryOp Op, typename LA, typename RA>
class MathNode final : public Node {
 public:
  MathNode(uint32_t id, LA l, RA r) : Node(id), l_(l), r_(r) {}
  Value Eval(const Ctx& c) const override {
    const Value l = l_.Get(c);
    if (l.is_error()) return l;
    const Value r = r_.Get(c);
    if (r.is_error()) return r;
    const K lt = l.kind(), rt = r.kind();
    if constexpr (Op != BinaryOp::kMod) {
      if (lt == K::kFloat && rt == K::kFloat) {
        const double a = l.float_value(), b = r.float_value();
        if constexpr (Op == BinaryOp::kAdd) return Value::Float(a + b);
        if constexpr (Op == BinaryOp::kSub) return Value::Float(a - b);
        if constexpr (Op == BinaryOp::kMul) return Value::Float(a * b);
        if constexpr (Op == BinaryOp::kDiv) return Value::Float(a / b);
      }
    }
    if (BinaryResultKind(Op, lt, rt) == K::kError) return NilScopeError(id(), Op, lt, rt);
    return ApplyArithmetic(Op, l, r, c.scratch, id());
  }
  K Type(const Ctx& c, Value* err) const override {
    const K lt = l_.Type(c, err);
    if (lt == K::kError) return lt;
    const K rt = r_.Type(c, err);
    if (rt == K::kError) return rt;
    const K res = BinaryResultKind(Op, lt, rt);
    if (res == K::kError) *err = NilScopeError(id(), Op, lt, rt);
    return res;
  }
  int ToFastNum(FastProgram* p) const override {
    if constexpr (Op == BinaryOp::kMod) {
      return -1;
    } else {
      const int l = FastNumOf(p, l_);
      if (l < 0) return -1;
      const int r = FastNumOf(p, r_);
      if (r < 0) return -1;
      FastOp op;
      op.code = FastCode::kNumMath;
      op.bop = Op;
      op.a = static_cast<uint32_t>(l);
      op.c = static_cast<uint32_t>(r);
      return p->Add(op);
    }
  }

 private:
  LA l_;
  RA r_;
};

const char* OrdinalArg(int i) {
  static const char* kNames[] = {"1", "2", "3", "4"};
  return kNames[i];
}

class CallNode final : public Node {
 public:
  CallNode(uint32_t id, const BuiltinInfo* info, std::vector<const Node*> args, int state_index)
      : Node(id), info_(info), args_(std::move(args)), state_index_(state_index) {
    if (info->signatures.size() == 1) static_kind = info->signatures[0].result;
    // A single-signature function still fails at run time on wrong argument types, so its
    // Type() is only static when the argument types are known to match.
    if (static_kind != kUnknownKind) {
      const Signature& s = info->signatures[0];
      for (size_t i = 0; i < args_.size(); ++i) {
        if (args_[i]->static_kind != s.args[i]) static_kind = kUnknownKind;
      }
      if (args_.size() != s.arity) static_kind = kUnknownKind;
    }
  }
  Value Eval(const Ctx& c) const override {
    Value vals[4];
    const int n = static_cast<int>(args_.size());
    for (int i = 0; i < n; ++i) {
      vals[i] = args_[i]->Eval(c);
      if (vals[i].is_error()) return WrapArg(c, i, vals[i]);
    }
    return Finish(c, vals, n);
  }
  // Signature check and call with already evaluated arguments.
  Value Finish(const Ctx& c, Value* vals, int n) const {
    const Signature* sig = Match(vals, n);
    if (sig == nullptr) return SignatureError(vals, n);
    FuncState* st = state_index_ >= 0 ? &c.states[state_index_] : nullptr;
    return CallBuiltin(*info_, vals, n, st, c.scratch);
  }
  K Type(const Ctx& c, Value* err) const override {
    Value vals[4];
    const int n = static_cast<int>(args_.size());
    for (int i = 0; i < n; ++i) {
      const K k = NodeA{args_[i]}.Type(c, err);
      if (k == K::kError) {
        *err = WrapArg(c, i, *err);
        return K::kError;
      }
      vals[i] = KindValue(k);
    }
    const Signature* sig = Match(vals, n);
    if (sig == nullptr) {
      *err = SignatureError(vals, n);
      return K::kError;
    }
    return sig->result;
  }

 private:
  // A value of kind k (only the kind matters for signature matching).
  static Value KindValue(K k) {
    switch (k) {
      case K::kFloat:
        return Value::Float(0);
      case K::kInt:
        return Value::Int(0);
      case K::kString:
        return Value::String("");
      case K::kBool:
        return Value::Bool(false);
      case K::kDuration:
        return Value::Duration(0);
      case K::kTime:
        return Value::Time(0);
      case K::kRegex:
        return Value::Regex(nullptr);
      case K::kUint:
        return Value::Uint(0);
      default:
        return Value::Missing();
    }
  }
  const Signature* Match(const Value* vals, int n) const {
    if (info_->signatures.size() == 1) {
      const Signature& s = info_->signatures[0];
      if (s.arity != n) return nullptr;
      for (int i = 0; i < n; ++i) {
        if (vals[i].kind() != s.args[i]) return nullptr;
      }
      return &s;
    }
    for (const Signature& s : info_->signatures) {
      if (s.arity != n) continue;
      bool ok = true;
      for (int i = 0; i < n && ok; ++i) ok = vals[i].kind() == s.args[i];
      if (ok) return &s;
    }
    return nullptr;
  }
  Value SignatureError(const Value* vals, int n) const {
    uint64_t missing = 0, kinds = 0;
    for (int i = 0; i < n; ++i) {
      if (vals[i].is_missing()) missing |= 1u << i;
      kinds |= static_cast<uint64_t>(vals[i].kind()) << (8 * i);
    }
    if (missing != 0) return Value::Error(kErrMissingArgs, id(), missing);
    return Value::Error(kErrSignature, id(), kinds);
  }

 public:
  Value WrapArg(const Ctx& c, int i, const Value& e) const {
    return Dynamic(c.scratch, absl::StrCat("Failed to handle ", OrdinalArg(i),
                                           " argument: ", FormatErr(c, e)));
  }

 private:
  const BuiltinInfo* info_;
  std::vector<const Node*> args_;
  int state_index_;
};

// Fast paths for the most common stateless functions; other argument kinds take the generic
// path of the CallNode (same id, so errors format identically).
class Math1Node final : public Node {
 public:
  Math1Node(const CallNode* slow, const Node* arg, MathFn math)
      : Node(slow->id()),
        slow_(slow),
        arg_{arg},
        f_(WithValue<MathFn::kAbs, MathFn::kSqrt, MathFn::kFloor, MathFn::kCeil>(
            math, [](auto m) -> double (*)(double) { return ApplyMath<decltype(m)::value>; })),
        math_(math) {
    static_kind = slow->static_kind;
  }
  Value Eval(const Ctx& c) const override {
    Value v = arg_.Get(c);
    if (v.kind() == K::kFloat) return Value::Float(f_(v.float_value()));
    if (v.is_error()) return slow_->WrapArg(c, 0, v);
    return slow_->Finish(c, &v, 1);
  }
  K Type(const Ctx& c, Value* err) const override { return slow_->Type(c, err); }
  int ToFastNum(FastProgram* p) const override {
    const int a = arg_.n->ToFastNum(p);
    if (a < 0) return -1;
    FastOp op;
    op.code = FastCode::kNumCall;
    op.a = static_cast<uint32_t>(a);
    op.math = math_;
    return p->Add(op);
  }

 private:
  const CallNode* slow_;
  NodeA arg_;
  double (*f_)(double);
  MathFn math_;
};

// sigma(x) on a float: no signature matching, no builtin dispatch.
class SigmaNode final : public Node {
 public:
  SigmaNode(const CallNode* slow, const Node* arg, int state_index)
      : Node(slow->id()), slow_(slow), arg_{arg}, state_index_(state_index) {
    static_kind = slow->static_kind;
    tag = Tag::kSigma;
  }
  const Node* arg() const { return arg_.n; }
  int state_index() const { return state_index_; }
  Value Eval(const Ctx& c) const override {
    Value v = arg_.Get(c);
    if (v.kind() == K::kFloat) {
      return Value::Float(SigmaUpdate(&c.states[state_index_], v.float_value()));
    }
    if (v.is_error()) return slow_->WrapArg(c, 0, v);
    return slow_->Finish(c, &v, 1);
  }
  K Type(const Ctx& c, Value* err) const override { return slow_->Type(c, err); }

 private:
  const CallNode* slow_;
  NodeA arg_;
  int state_index_;
};

int SigmaCmpToFast(FastProgram* p, BinaryOp bop, const Node* l, const Value& r) {
  if (l->tag != Node::Tag::kSigma || (r.kind() != K::kFloat && r.kind() != K::kInt)) return -1;
  const auto* sigma = static_cast<const SigmaNode*>(l);
  const RefNode* ref = AsRef(sigma->arg());
  if (ref == nullptr) return -1;
  FastOp op;
  op.code = FastCode::kSigmaCmp;
  op.cmp = ToFastCmp(bop);
  op.a = ref->slot();
  op.c = static_cast<uint32_t>(sigma->state_index());
  op.d = r.kind() == K::kFloat ? r.float_value() : static_cast<double>(r.int_value());
  return p->Add(op);
}

template <typename LA, typename RA>
class StrContainsNode final : public Node {
 public:
  StrContainsNode(const CallNode* slow, LA l, RA r) : Node(slow->id()), slow_(slow), l_(l), r_(r) {
    static_kind = slow->static_kind;
  }
  Value Eval(const Ctx& c) const override {
    Value v[2] = {l_.Get(c), r_.Get(c)};
    if (v[0].kind() == K::kString && v[1].kind() == K::kString) {
      return Value::Bool(BytesContain(v[0].string_value(), v[1].string_value()));
    }
    if (v[0].is_error()) return slow_->WrapArg(c, 0, v[0]);
    if (v[1].is_error()) return slow_->WrapArg(c, 1, v[1]);
    return slow_->Finish(c, v, 2);
  }
  K Type(const Ctx& c, Value* err) const override { return slow_->Type(c, err); }
  int ToFast(FastProgram* p) const override {
    if constexpr (std::is_same_v<LA, RefA> && std::is_same_v<RA, ConstA>) {
      if (r_.v.kind() != K::kString) return -1;
      FastOp op;
      op.code = FastCode::kStrContains;
      op.a = l_.slot;
      op.s = r_.v.string_value();
      return p->Add(op);
    } else {
      return -1;
    }
  }

 private:
  const CallNode* slow_;
  LA l_;
  RA r_;
};

// =============================================================================================
// Compiler

class Compiler {
 public:
  Compiler(const Scope& scope, const SourceFile& source, CompiledLambda::Impl* impl)
      : scope_(scope), source_(source), impl_(impl) {}

  absl::StatusOr<const Node*> Compile(const Expr& e);

 private:
  absl::Status Error(const Expr& e, std::string_view msg) const {
    absl::Status s = absl::InvalidArgumentError(Sv(source_.FormatError(e.range.begin, msg)));
    SetSourceLocation(s, source_.Locate(e.range.begin));
    return s;
  }
  // A new node's metadata, with the node's source text as its literal.
  uint32_t NewId(const Expr& e) {
    NodeMeta& m = impl_->meta.emplace_back();
    const std::string& t = source_.text();
    const SourceRange lambda = impl_->text_range;
    if (e.range.end > e.range.begin && e.range.begin >= lambda.begin && e.range.end <= lambda.end) {
      m.text_begin = e.range.begin - lambda.begin;  // inside the lambda's own text
      m.text_size = e.range.end - e.range.begin;
    } else {
      const std::string_view text =
          e.range.end > e.range.begin && e.range.end <= t.size()
              ? std::string_view(t).substr(e.range.begin, e.range.end - e.range.begin)
              : std::string_view(e.text);
      m.text_begin = static_cast<uint32_t>(impl_->literal_text.size());
      m.text_size = static_cast<uint32_t>(text.size());
      impl_->literal_text.append(text);
    }
    return static_cast<uint32_t>(impl_->meta.size() - 1);
  }
  template <typename T, typename... Args>
  const Node* Add(Args&&... args) {
    return impl_->nodes.New<T>(std::forward<Args>(args)...);
  }
  absl::StatusOr<const Node*> Literal(const Expr& e, const Expr& lit);
  absl::StatusOr<const Node*> Binary(const Expr& e);
  absl::StatusOr<const Node*> Call(const Expr& e);
  uint32_t SlotFor(const std::string& name) {
    auto& names = impl_->slot_names;
    auto it = std::find(names.begin(), names.end(), name);
    if (it != names.end()) return static_cast<uint32_t>(it - names.begin());
    names.push_back(name);
    return static_cast<uint32_t>(names.size() - 1);
  }
  // Folds `n` to a constant if it depends on no slot, state or clock.
  const Node* MaybeFold(const Node* n, const Expr& e, bool pure);

  const Scope& scope_;
  const SourceFile& source_;
  CompiledLambda::Impl* impl_;
  int inline_depth_ = 0;
};

// Shapes: build a templated node for operand accessors.
template <template <BinaryOp, typename, typename> class N, BinaryOp Op>
const Node* MakeShaped(NodeArena* nodes, uint32_t id, const Node* l, const Node* r) {
  auto ref = [](const Node* n) { return AsRef(n); };
  auto cst = [](const Node* n) { return AsConst(n); };
  if (ref(l) && cst(r)) {
    return nodes->New<N<Op, RefA, ConstA>>(id, RefA{ref(l)->slot()}, ConstA{cst(r)->value()});
  }
  if (ref(l) && ref(r)) {
    return nodes->New<N<Op, RefA, RefA>>(id, RefA{ref(l)->slot()}, RefA{ref(r)->slot()});
  }
  if (cst(l) && ref(r)) {
    return nodes->New<N<Op, ConstA, RefA>>(id, ConstA{cst(l)->value()}, RefA{ref(r)->slot()});
  }
  if (cst(r)) return nodes->New<N<Op, NodeA, ConstA>>(id, NodeA{l}, ConstA{cst(r)->value()});
  if (ref(l)) return nodes->New<N<Op, RefA, NodeA>>(id, RefA{ref(l)->slot()}, NodeA{r});
  return nodes->New<N<Op, NodeA, NodeA>>(id, NodeA{l}, NodeA{r});
}

template <BinaryOp Op, typename LA, typename RA>
using RegexMatchNode = RegexNode<false, LA, RA>;
template <BinaryOp Op, typename LA, typename RA>
using RegexNotMatchNode = RegexNode<true, LA, RA>;

absl::StatusOr<const Node*> Compiler::Literal(const Expr& e, const Expr& lit) {
  const uint32_t id = NewId(e);
  Value v;
  switch (lit.kind) {
    case ExprKind::kInt:
      v = Value::Int(lit.int_value);
      impl_->meta[id].lit = NodeMeta::Lit::kInt;
      impl_->meta[id].int_value = lit.int_value;
      break;
    case ExprKind::kFloat:
      v = Value::Float(lit.float_value);
      impl_->meta[id].lit = NodeMeta::Lit::kFloat;
      impl_->meta[id].float_value = lit.float_value;
      break;
    case ExprKind::kString:
      impl_->strings.push_front(lit.text);
      v = Value::String(impl_->strings.front());
      break;
    case ExprKind::kBool:
      v = Value::Bool(lit.bool_value);
      impl_->meta[id].lit = NodeMeta::Lit::kBool;
      impl_->meta[id].bool_value = lit.bool_value;
      break;
    case ExprKind::kDuration:
      v = Value::Duration(lit.int_value);
      break;
    case ExprKind::kRegex: {
      std::shared_ptr<const re2::RE2> re = lit.regex;  // compiled once, by the parser
      if (re == nullptr) {
        re2::RE2::Options opts;
        opts.set_log_errors(false);
        re = std::make_shared<const re2::RE2>(lit.text, opts);
      }
      if (!re->ok()) {
        return Error(e, absl::StrCat("invalid regex /", Sv(lit.text), "/: ", re->error()));
      }
      v = Value::Regex(re.get());
      impl_->regexes.push_back(std::move(re));
      break;
    }
    default:
      return Error(e, "unsupported literal in lambda expression");
  }
  return Add<ConstNode>(id, v);
}

absl::StatusOr<const Node*> Compiler::Compile(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLambda:
      if (e.args.empty()) return Error(e, "empty lambda");
      return Compile(*e.args[0]);
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kString:
    case ExprKind::kBool:
    case ExprKind::kDuration:
    case ExprKind::kRegex:
      return Literal(e, e);
    case ExprKind::kReference: {
      const uint32_t id = NewId(e);
      const uint32_t slot = SlotFor(e.text);
      impl_->meta[id].ref_slot = static_cast<int>(slot);
      impl_->meta[id].lit = NodeMeta::Lit::kRef;
      return Add<RefNode>(id, slot);
    }
    case ExprKind::kIdent: {
      const Expr* lit = scope_.Find(e.text);
      if (lit == nullptr) {
        if (scope_.IsNode(e.text)) {
          return Error(e, absl::StrCat("var \"", Sv(e.text),
                                       "\" holds a node and cannot be used in a lambda"));
        }
        return Error(e, absl::StrCat("name \"", Sv(e.text), "\" is undefined. Names in scope: ",
                                     absl::StrJoin(scope_.Names(), ",")));
      }
      if (lit->kind == ExprKind::kLambda) {
        if (++inline_depth_ > 64) return Error(e, "lambda vars nested too deeply");
        auto r = Compile(*lit->args[0]);
        --inline_depth_;
        return r;
      }
      if (lit->kind == ExprKind::kList || lit->kind == ExprKind::kStar) {
        return Error(e, absl::StrCat("var \"", Sv(e.text), "\" of type ",
                                     lit->kind == ExprKind::kList ? "list" : "star",
                                     " cannot be used in a lambda expression"));
      }
      return Literal(e, *lit);
    }
    case ExprKind::kUnary: {
      TICK_ASSIGN_OR_RETURN(const Node* child, Compile(*e.args[0]));
      const uint32_t id = NewId(e);
      impl_->meta[id].is_unary = true;
      impl_->meta[id].children = {child};
      const Node* n =
          e.unary_op == ast::UnaryOp::kNot ? Add<NotNode>(id, child) : Add<NegNode>(id, child);
      return MaybeFold(n, e, true);
    }
    case ExprKind::kBinary:
      return Binary(e);
    case ExprKind::kCall:
      return Call(e);
    case ExprKind::kStar:
    case ExprKind::kList:
    case ExprKind::kChain:
      return Error(e, "unsupported expression in lambda");
  }
  return Error(e, "unsupported expression in lambda");
}

absl::StatusOr<const Node*> Compiler::Binary(const Expr& e) {
  TICK_ASSIGN_OR_RETURN(const Node* l, Compile(*e.args[0]));
  TICK_ASSIGN_OR_RETURN(const Node* r, Compile(*e.args[1]));
  const uint32_t id = NewId(e);
  NodeMeta& m = impl_->meta[id];
  m.left = l;
  m.right = r;
  m.op = e.binary_op;
  m.children = {l, r};
  auto* nodes = &impl_->nodes;
  const Node* n = nullptr;
  switch (e.binary_op) {
    case BinaryOp::kAnd:
      n = Add<LogicNode<true>>(id, l, r);
      break;
    case BinaryOp::kOr:
      n = Add<LogicNode<false>>(id, l, r);
      break;
    case BinaryOp::kEq:
      n = MakeShaped<CmpNode, BinaryOp::kEq>(nodes, id, l, r);
      break;
    case BinaryOp::kNe:
      n = MakeShaped<CmpNode, BinaryOp::kNe>(nodes, id, l, r);
      break;
    case BinaryOp::kLt:
      n = MakeShaped<CmpNode, BinaryOp::kLt>(nodes, id, l, r);
      break;
    case BinaryOp::kLe:
      n = MakeShaped<CmpNode, BinaryOp::kLe>(nodes, id, l, r);
      break;
    case BinaryOp::kGt:
      n = MakeShaped<CmpNode, BinaryOp::kGt>(nodes, id, l, r);
      break;
    case BinaryOp::kGe:
      n = MakeShaped<CmpNode, BinaryOp::kGe>(nodes, id, l, r);
      break;
    case BinaryOp::kRegexMatch:
      n = MakeShaped<RegexMatchNode, BinaryOp::kRegexMatch>(nodes, id, l, r);
      break;
    case BinaryOp::kRegexNotMatch:
      n = MakeShaped<RegexNotMatchNode, BinaryOp::kRegexNotMatch>(nodes, id, l, r);
      break;
    case BinaryOp::kAdd:
      n = MakeShaped<MathNode, BinaryOp::kAdd>(nodes, id, l, r);
      break;
    case BinaryOp::kSub:
      n = MakeShaped<MathNode, BinaryOp::kSub>(nodes, id, l, r);
      break;
    case BinaryOp::kMul:
      n = MakeShaped<MathNode, BinaryOp::kMul>(nodes, id, l, r);
      break;
    case BinaryOp::kDiv:
      n = MakeShaped<MathNode, BinaryOp::kDiv>(nodes, id, l, r);
      break;
    case BinaryOp::kMod:
      n = MakeShaped<MathNode, BinaryOp::kMod>(nodes, id, l, r);
      break;
  }
  const bool is_math = std::strcmp(OperatorClass(e.binary_op), "math") == 0;
  if (is_math && l->static_kind != kUnknownKind && r->static_kind != kUnknownKind) {
    // Both operand types are known: a type error is a compile error (Kapacitor reports it
    // when the expression is created), otherwise the result type is known too.
    const K res = BinaryResultKind(e.binary_op, l->static_kind, r->static_kind);
    if (res == K::kError) {
      Value err = NilScopeError(id, e.binary_op, l->static_kind, r->static_kind);
      return Error(e, impl_->Format(err));
    }
    const_cast<Node*>(n)->static_kind = res;
  }
  if (!is_math && e.binary_op != BinaryOp::kAnd && e.binary_op != BinaryOp::kOr &&
      l->static_kind != kUnknownKind && r->static_kind != kUnknownKind && AsConst(l) &&
      AsConst(r) && BinaryResultKind(e.binary_op, l->static_kind, r->static_kind) == K::kError) {
    Value err = ScopeError(id, e.binary_op, l->static_kind, r->static_kind);
    return Error(e, impl_->Format(err));
  }
  return MaybeFold(n, e, true);
}

absl::StatusOr<const Node*> Compiler::Call(const Expr& e) {
  const BuiltinInfo* info = FindBuiltin(e.text);
  if (info == nullptr) return Error(e, absl::StrCat("undefined function: \"", Sv(e.text), "\""));
  if (e.args.size() > 4) {
    return Error(e, absl::StrCat("too many arguments provided: function \"", Sv(e.text),
                                 "\" takes at most 4 arguments"));
  }
  std::vector<const Node*> args;
  std::vector<uint32_t> arg_ids;
  for (const auto& a : e.args) {
    TICK_ASSIGN_OR_RETURN(const Node* n, Compile(*a));
    args.push_back(n);
    arg_ids.push_back(n->id());
  }
  const uint32_t id = NewId(e);
  NodeMeta& m = impl_->meta[id];
  m.builtin = info;
  m.arg_ids = arg_ids;
  m.children.assign(args.begin(), args.end());
  m.lit = NodeMeta::Lit::kCall;
  int state_index = -1;
  if (info->stateful) state_index = static_cast<int>(impl_->num_states++);
  // Static signature check when every argument type is known.
  bool all_known = true;
  for (const Node* a : args) all_known = all_known && a->static_kind != kUnknownKind;
  if (all_known) {
    bool match = false;
    for (const Signature& s : info->signatures) {
      if (s.arity != args.size()) continue;
      bool ok = true;
      for (size_t i = 0; i < args.size() && ok; ++i) ok = args[i]->static_kind == s.args[i];
      match = match || ok;
    }
    if (!match) {
      const std::vector<std::string> lits = impl_->Literals(arg_ids);
      std::vector<K> kinds;
      for (size_t i = 0; i < args.size(); ++i) kinds.push_back(args[i]->static_kind);
      return Error(e, SignatureErrorText(*info, lits, kinds.data(), static_cast<int>(args.size())));
    }
  }
  std::vector<const Node*> arg_nodes = args;
  const auto* call =
      static_cast<const CallNode*>(Add<CallNode>(id, info, std::move(args), state_index));
  const Node* n = call;
  std::optional<MathFn> math;
  switch (info->id) {
    case FuncId::kAbs:
      math = MathFn::kAbs;
      break;
    case FuncId::kSqrt:
      math = MathFn::kSqrt;
      break;
    case FuncId::kFloor:
      math = MathFn::kFloor;
      break;
    case FuncId::kCeil:
      math = MathFn::kCeil;
      break;
    default:
      break;
  }
  if (math.has_value() && arg_nodes.size() == 1) {
    n = Add<Math1Node>(call, arg_nodes[0], *math);
  } else if (info->id == FuncId::kSigma && arg_nodes.size() == 1 && state_index >= 0) {
    n = Add<SigmaNode>(call, arg_nodes[0], state_index);
  } else if (info->id == FuncId::kStrContains && arg_nodes.size() == 2) {
    auto ref = [](const Node* x) { return AsRef(x); };
    auto cst = [](const Node* x) { return AsConst(x); };
    if (ref(arg_nodes[0]) && cst(arg_nodes[1])) {
      n = Add<StrContainsNode<RefA, ConstA>>(call, RefA{ref(arg_nodes[0])->slot()},
                                             ConstA{cst(arg_nodes[1])->value()});
    } else {
      n = Add<StrContainsNode<NodeA, NodeA>>(call, NodeA{arg_nodes[0]}, NodeA{arg_nodes[1]});
    }
  }
  const bool pure = !info->stateful && info->id != FuncId::kNow;
  return MaybeFold(n, e, pure);
}

const Node* Compiler::MaybeFold(const Node* n, const Expr& e, bool pure) {
  if (!pure) return n;
  for (const Node* child : impl_->meta[n->id()].children) {
    if (AsConst(child) == nullptr) return n;
  }
  EvalScratch scratch;
  Ctx c{nullptr, nullptr, &scratch, impl_};
  Value v = n->Eval(c);
  if (v.is_error() || v.is_missing() || v.kind() == K::kUint) return n;
  if (v.kind() == K::kString) {
    impl_->strings.emplace_front(v.string_value());
    v = Value::String(impl_->strings.front());
  }
  const uint32_t id = NewId(e);
  if (v.kind() == K::kInt) {
    impl_->meta[id].lit = NodeMeta::Lit::kInt;
    impl_->meta[id].int_value = v.int_value();
  }
  if (v.kind() == K::kFloat) {
    impl_->meta[id].lit = NodeMeta::Lit::kFloat;
    impl_->meta[id].float_value = v.float_value();
  }
  return Add<ConstNode>(id, v);
}

}  // namespace

// =============================================================================================
// Error formatting

std::string CompiledLambda::Impl::Format(const Value& e) const {
  if (!e.is_error()) return "";
  const uint64_t d = e.error_detail();
  auto meta_at = [&](uint32_t id) -> const NodeMeta* {
    return id < meta.size() ? &meta[id] : nullptr;
  };
  switch (e.error_code()) {
    case kErrMissingOperand: {
      const NodeMeta* m = meta_at(e.error_where());
      const char* side = d == 0 ? "left" : "right";
      if (m == nullptr) return absl::StrCat(side, " reference value is missing value");
      const Node* child = d == 0 ? m->left : m->right;
      const NodeMeta* cm = child ? meta_at(child->id()) : nullptr;
      if (cm != nullptr && cm->ref_slot >= 0) {
        return absl::StrCat(side, " reference value \"", Sv(slot_names[cm->ref_slot]),
                            "\" is missing value");
      }
      return absl::StrCat("expected ", side,
                          "Evaluator to be *EvalReferenceNode got *stateful.EvalUnaryNode");
    }
    case kErrInvalidOperand:
      return d == 0 ? "left value is invalid value type" : "right value is invalid value type";
    case kErrInvalidOperator: {
      auto op = static_cast<BinaryOp>(d & 0xff);
      auto t = static_cast<K>((d >> 8) & 0xff);
      return absl::StrCat("invalid ", OperatorClass(op), " operator ", ast::OpString(op),
                          " for type ", TypeName(t));
    }
    case kErrMismatch: {
      auto lt = static_cast<K>(d & 0xff);
      auto op = static_cast<BinaryOp>((d >> 8) & 0xff);
      auto rt = static_cast<K>((d >> 16) & 0xff);
      return absl::StrCat("mismatched type to binary operator. got ", TypeName(lt), " ",
                          ast::OpString(op), " ", TypeName(rt),
                          ". see bool(), int(), float(), string(), duration()");
    }
    case kErrTypeGuard:
      return absl::StrCat("TypeGuard: expression returned unexpected type ",
                          TypeName(static_cast<K>(d & 0xff)), ", expected ",
                          TypeName(static_cast<K>((d >> 8) & 0xff)));
    case kErrUnexpectedType:
      return absl::StrCat("expression returned unexpected type ", TypeName(static_cast<K>(d)));
    case kErrUnexpectedGoType: {
      auto k = static_cast<K>(d);
      return absl::StrCat("expression returned unexpected type ", k == K::kInt     ? "int64"
                                                                  : k == K::kFloat ? "float64"
                                                                                   : "<nil>");
    }
    case kErrDivZero:
      return "runtime error: integer divide by zero";
    case kErrSignature:
    case kErrMissingArgs: {
      const NodeMeta* m = meta_at(e.error_where());
      if (m == nullptr || m->builtin == nullptr) return "invalid function call";
      const int n = static_cast<int>(m->arg_ids.size());
      const std::vector<std::string> lits = Literals(m->arg_ids);
      if (e.error_code() == kErrSignature) {
        K kinds[4];
        for (int i = 0; i < n; ++i) kinds[i] = static_cast<K>((d >> (8 * i)) & 0xff);
        return SignatureErrorText(*m->builtin, lits, kinds, n);
      }
      std::vector<std::string> missing;
      for (int i = 0; i < n; ++i) {
        if (d & (1u << i)) missing.push_back(lits[i]);
      }
      std::vector<std::string> scope;
      for (const std::string& s : slot_names) {
        std::string q = absl::StrCat("\"", Sv(s), "\"");
        if (std::find(missing.begin(), missing.end(), q) == missing.end()) scope.push_back(q);
      }
      return absl::StrCat("Cannot call function \"", m->builtin->name, "\" ",
                          missing.size() > 1 ? "arguments " : "argument ",
                          absl::StrJoin(missing, ", "),
                          missing.size() > 1 ? " are missing" : " is missing",
                          ", values in scope are [", absl::StrJoin(scope, ", "), "]");
    }
    case kErrDynamic:
      return *reinterpret_cast<const std::string*>(static_cast<uintptr_t>(d));
    case kErrFieldTagConflict: {
      const uint32_t slot = e.error_where();
      std::string_view name =
          slot < slot_names.size() ? std::string_view(slot_names[slot]) : std::string_view();
      return absl::StrCat("cannot have field and tags with same name \"", Sv(name), "\"");
    }
    default:
      return "unknown evaluation error";
  }
}

// =============================================================================================
// CompiledLambda

CompiledLambda::CompiledLambda() = default;
CompiledLambda::CompiledLambda(const CompiledLambda&) = default;
CompiledLambda::CompiledLambda(CompiledLambda&& o) noexcept
    : impl_(std::move(o.impl_)),
      fast_fn_(std::exchange(o.fast_fn_, nullptr)),
      fast_root_(std::exchange(o.fast_root_, nullptr)),
      fast_ops_(std::exchange(o.fast_ops_, nullptr)),
      fast_state_fn_(std::exchange(o.fast_state_fn_, nullptr)),
      constant_truth_(std::exchange(o.constant_truth_, -1)),
      inline_(std::exchange(o.inline_, internal::InlineForm())) {}
CompiledLambda& CompiledLambda::operator=(const CompiledLambda&) = default;
CompiledLambda& CompiledLambda::operator=(CompiledLambda&& o) noexcept {
  impl_ = std::move(o.impl_);
  fast_fn_ = std::exchange(o.fast_fn_, nullptr);
  fast_root_ = std::exchange(o.fast_root_, nullptr);
  fast_ops_ = std::exchange(o.fast_ops_, nullptr);
  fast_state_fn_ = std::exchange(o.fast_state_fn_, nullptr);
  constant_truth_ = std::exchange(o.constant_truth_, -1);
  inline_ = std::exchange(o.inline_, internal::InlineForm());
  return *this;
}
CompiledLambda::~CompiledLambda() = default;
CompiledLambda::CompiledLambda(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {
  if (impl_ != nullptr && impl_->fast_root >= 0) {
    fast_ops_ = impl_->fast.ops.data();
    fast_root_ = &fast_ops_[impl_->fast_root];
    fast_fn_ = fast_root_->fn;
    if (fast_root_->code == internal::FastCode::kConst) constant_truth_ = fast_root_->b ? 1 : 0;
    inline_ = internal::ToInlineForm(*fast_root_, fast_ops_);
  } else if (impl_ != nullptr && impl_->fast_stateful_root >= 0) {
    fast_ops_ = impl_->fast.ops.data();
    fast_root_ = &fast_ops_[impl_->fast_stateful_root];
    fast_state_fn_ = PickSigmaCmp(fast_root_->cmp);
  }
}

const std::vector<std::string>& CompiledLambda::slot_names() const {
  static const std::vector<std::string> kEmpty;
  return impl_ ? impl_->slot_names : kEmpty;
}

std::unique_ptr<EvalState> CompiledLambda::NewState() const {
  return std::make_unique<StateImpl>(impl_ ? impl_->num_states : 0);
}

Value CompiledLambda::Eval(absl::Span<const Value> slots, EvalState* state,
                           EvalScratch* scratch) const {
  if (!impl_ || impl_->root == nullptr) return Value::Missing();
  FuncState* states = state != nullptr ? static_cast<StateImpl*>(state)->states.data() : nullptr;
  if (impl_->fast_root >= 0) {
    const FastOp* ops = impl_->fast.ops.data();
    const FastOp& root = ops[impl_->fast_root];
    const int t = root.fn(root, ops, slots.data(), scratch);
    if (t >= 0) return Value::Bool(t != 0);
  }
  Ctx c{slots.data(), states, scratch, impl_.get()};
  Value v = impl_->root->Eval(c);
  switch (v.kind()) {
    case K::kFloat:
    case K::kInt:
    case K::kString:
    case K::kBool:
    case K::kDuration:
    case K::kError:
      return v;
    default:
      return Value::Error(kErrUnexpectedType, 0, static_cast<uint64_t>(v.kind()));
  }
}

CompiledLambda::Truth CompiledLambda::EvalPredicateSlow(absl::Span<const Value> slots,
                                                        EvalState* state, EvalScratch* scratch,
                                                        Value* error) const {
  if (!impl_ || impl_->root == nullptr) {
    *error = Value::Error(kErrTypeGuard, 0,
                          static_cast<uint64_t>(K::kMissing) | uint64_t(K::kBool) << 8);
    return Truth::kError;
  }
  FuncState* states = state != nullptr ? static_cast<StateImpl*>(state)->states.data() : nullptr;
  Ctx c{slots.data(), states, scratch, impl_.get()};
  const Value v = impl_->root->Eval(c);
  if (v.kind() == K::kBool) return v.bool_value() ? Truth::kTrue : Truth::kFalse;
  if (v.is_error()) {
    *error = v;
  } else if (impl_->root_is_math) {
    *error = Value::Error(kErrUnexpectedGoType, 0, static_cast<uint64_t>(v.kind()));
  } else {
    *error =
        Value::Error(kErrTypeGuard, 0, static_cast<uint64_t>(v.kind()) | uint64_t(K::kBool) << 8);
  }
  return Truth::kError;
}

std::string CompiledLambda::FormatError(const Value& error) const {
  if (!impl_) {
    Impl empty;
    return empty.Format(error);
  }
  return impl_->Format(error);
}

Value CompiledLambda::FieldTagConflictError(size_t slot) {
  return Value::Error(kErrFieldTagConflict, static_cast<uint32_t>(slot));
}

SourceRange CompiledLambda::range() const { return impl_ ? impl_->range : SourceRange{}; }
ValueKind CompiledLambda::static_kind() const { return impl_ ? impl_->static_kind : K::kMissing; }
bool CompiledLambda::has_state() const { return impl_ && impl_->num_states > 0; }
bool CompiledLambda::is_constant() const { return impl_ && impl_->constant; }

namespace {
bool g_fast_path_enabled = true;
}  // namespace

void internal::SetFastPathForTesting(bool enabled) { g_fast_path_enabled = enabled; }
bool internal::HasFastPathForTesting(const CompiledLambda& lambda) {
  return lambda.fast_fn_ != nullptr || lambda.fast_state_fn_ != nullptr;
}

namespace {

// Compiles `lambda_or_body` into `impl` (its evaluator tree and error metadata).
absl::StatusOr<const Node*> CompileInto(CompiledLambda::Impl* impl, const Expr& lambda_or_body,
                                        const Scope& scope, const SourceFile& source) {
  impl->range = lambda_or_body.range;
  const std::string& t = source.text();
  const SourceRange r = lambda_or_body.range;
  if (r.end > r.begin && r.end <= t.size()) {
    impl->text_range = r;
    impl->literal_text.assign(t, r.begin, r.end - r.begin);
  }
  impl->meta.reserve(16);
  Compiler compiler(scope, source, impl);
  return compiler.Compile(lambda_or_body);
}

}  // namespace

absl::Status CheckLambda(const Expr& lambda_or_body, const Scope& scope, const SourceFile& source) {
  CompiledLambda::Impl impl;  // (its node arena's first block is inline: no allocation for it)
  return CompileInto(&impl, lambda_or_body, scope, source).status();
}

absl::StatusOr<CompiledLambda> CompileLambda(const Expr& lambda_or_body, const Scope& scope,
                                             const SourceFile& source) {
  auto impl = std::make_shared<CompiledLambda::Impl>();
  TICK_ASSIGN_OR_RETURN(const Node* root, CompileInto(impl.get(), lambda_or_body, scope, source));
  impl->root = root;
  impl->static_kind = root->static_kind == kUnknownKind ? K::kMissing : root->static_kind;
  impl->constant = AsConst(root) != nullptr;
  const Expr* body = &lambda_or_body;
  while (body->kind == ExprKind::kLambda && !body->args.empty()) body = body->args[0].get();
  impl->root_is_math =
      body->kind == ExprKind::kBinary && std::strcmp(OperatorClass(body->binary_op), "math") == 0;
  impl->fast_root = g_fast_path_enabled ? root->ToFast(&impl->fast) : -1;
  if (impl->fast_root < 0) {
    impl->fast.ops.clear();
    impl->fast_stateful_root = g_fast_path_enabled ? root->ToFastStateful(&impl->fast) : -1;
    if (impl->fast_stateful_root < 0) impl->fast.ops.clear();
  }
  return CompiledLambda(std::move(impl));
}

// =============================================================================================
// Script-level vars

namespace {

const char* LiteralTypeName(ExprKind k) {
  switch (k) {
    case ExprKind::kInt:
      return "int";
    case ExprKind::kFloat:
      return "float";
    case ExprKind::kString:
      return "string";
    case ExprKind::kBool:
      return "boolean";
    case ExprKind::kDuration:
      return "duration";
    case ExprKind::kRegex:
      return "regex";
    case ExprKind::kLambda:
      return "lambda";
    case ExprKind::kList:
      return "list";
    case ExprKind::kStar:
      return "star";
    default:
      return "invalid type";
  }
}

absl::Status ErrAt(const SourceFile& source, SourceRange r, std::string_view msg) {
  absl::Status s = absl::InvalidArgumentError(Sv(source.FormatError(r.begin, msg)));
  SetSourceLocation(s, source.Locate(r.begin));
  return s;
}

// Clones `e` replacing identifiers by their var literals (lambda bodies are inlined).
absl::StatusOr<ast::ExprPtr> Substitute(const Expr& e, const Scope& scope,
                                        const SourceFile& source) {
  if (e.kind == ExprKind::kIdent) {
    const Expr* lit = scope.Find(e.text);
    if (lit == nullptr) {
      return ErrAt(source, e.range,
                   absl::StrCat("name \"", Sv(e.text), "\" is undefined. Names in scope: ",
                                absl::StrJoin(scope.Names(), ",")));
    }
    ast::ExprPtr c = lit->Clone();
    if (c->kind == ExprKind::kLambda && !c->args.empty()) {
      ast::ExprPtr body = std::move(c->args[0]);
      body->range = e.range;
      body->parens = true;
      return body;
    }
    c->range = e.range;
    return c;
  }
  auto out = std::make_unique<Expr>();
  out->kind = e.kind;
  out->range = e.range;
  out->text = e.text;
  out->int_value = e.int_value;
  out->float_value = e.float_value;
  out->bool_value = e.bool_value;
  out->parens = e.parens;
  out->unary_op = e.unary_op;
  out->binary_op = e.binary_op;
  if (e.kind == ExprKind::kChain) return e.Clone();
  for (const auto& a : e.args) {
    if (e.kind == ExprKind::kList && a->kind == ExprKind::kIdent) {
      const Expr* lit = scope.Find(a->text);
      if (lit == nullptr) {
        return ErrAt(source, a->range,
                     absl::StrCat("name \"", Sv(a->text), "\" is undefined. Names in scope: ",
                                  absl::StrJoin(scope.Names(), ",")));
      }
      out->args.push_back(lit->Clone());
      continue;
    }
    TICK_ASSIGN_OR_RETURN(ast::ExprPtr c, Substitute(*a, scope, source));
    out->args.push_back(std::move(c));
  }
  return out;
}

}  // namespace

absl::StatusOr<ast::ExprPtr> EvalScriptExpr(const Expr& expr, const Scope& scope,
                                            const SourceFile& source) {
  switch (expr.kind) {
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kString:
    case ExprKind::kBool:
    case ExprKind::kDuration:
    case ExprKind::kStar:
      return expr.Clone();
    case ExprKind::kRegex: {
      if (expr.regex != nullptr) return expr.Clone();  // the parser already compiled it
      re2::RE2::Options opts;
      opts.set_log_errors(false);
      re2::RE2 re(expr.text, opts);
      if (!re.ok()) {
        return ErrAt(source, expr.range,
                     absl::StrCat("invalid regex /", Sv(expr.text), "/: ", re.error()));
      }
      return expr.Clone();
    }
    case ExprKind::kIdent:
    case ExprKind::kList:
    case ExprKind::kLambda:
      if (expr.kind == ExprKind::kIdent && scope.IsNode(expr.text)) {
        return ErrAt(source, expr.range,
                     absl::StrCat("var \"", Sv(expr.text), "\" holds a node, not a value"));
      }
      if (expr.kind == ExprKind::kLambda) {
        TICK_ASSIGN_OR_RETURN(ast::ExprPtr body, Substitute(*expr.args[0], scope, source));
        auto out = std::make_unique<Expr>();
        out->kind = ExprKind::kLambda;
        out->range = expr.range;
        out->args.push_back(std::move(body));
        // Validate it compiles (undefined functions, regexes, constant type errors).
        TICK_RETURN_IF_ERROR(CompileLambda(*out, scope, source).status());
        return out;
      }
      return Substitute(expr, scope, source);
    case ExprKind::kUnary:
    case ExprKind::kBinary:
    case ExprKind::kCall: {
      TICK_ASSIGN_OR_RETURN(CompiledLambda l, CompileLambda(expr, scope, source));
      EvalScratch scratch;
      auto state = l.NewState();
      std::vector<Value> slots(l.slot_names().size());
      Value v = l.Eval(slots, state.get(), &scratch);
      if (v.is_error()) return ErrAt(source, expr.range, l.FormatError(v));
      auto out = std::make_unique<Expr>();
      out->range = expr.range;
      switch (v.kind()) {
        case K::kInt:
          out->kind = ExprKind::kInt;
          out->int_value = v.int_value();
          break;
        case K::kFloat:
          out->kind = ExprKind::kFloat;
          out->float_value = v.float_value();
          break;
        case K::kString:
          out->kind = ExprKind::kString;
          out->text = std::string(v.string_value());
          break;
        case K::kBool:
          out->kind = ExprKind::kBool;
          out->bool_value = v.bool_value();
          break;
        case K::kDuration: {
          out->kind = ExprKind::kDuration;
          out->int_value = v.int_value();
          AppendInfluxDuration(&out->text, v.int_value());
          break;
        }
        default:
          return ErrAt(source, expr.range,
                       absl::StrCat("expression returned unexpected type ", TypeName(v.kind())));
      }
      return out;
    }
    default:
      return ErrAt(source, expr.range, "unsupported var value");
  }
}

absl::StatusOr<Scope> EvalScriptVars(const ast::Script& script, const PredefinedVars* predefined,
                                     absl::Span<const std::string> predefined_nodes) {
  Scope scope;
  const SourceFile& source = script.source;
  for (const std::string& n : predefined_nodes) {
    TICK_RETURN_IF_ERROR(scope.DeclareNode(n, SourceRange{}));
  }
  auto redefine = [&](const ast::Statement& st) {
    return ErrAt(source, st.name_range,
                 absl::StrCat("attempted to redefine ", Sv(st.name), ", vars are immutable"));
  };
  for (const ast::Statement& st : script.statements) {
    if (st.kind == ast::StmtKind::kVar) {
      if (scope.Contains(st.name)) return redefine(st);
      const Expr& v = *st.value;
      if (v.kind == ExprKind::kChain || (v.kind == ExprKind::kIdent && scope.IsNode(v.text))) {
        TICK_RETURN_IF_ERROR(scope.DeclareNode(st.name, st.name_range));
        continue;
      }
      TICK_ASSIGN_OR_RETURN(ast::ExprPtr lit, EvalScriptExpr(v, scope, source));
      if (predefined != nullptr) {
        auto it = predefined->find(st.name);
        if (it != predefined->end() && it->second != nullptr) {
          if (it->second->kind != lit->kind) {
            return ErrAt(source, st.name_range,
                         absl::StrCat("invalid type supplied for ", Sv(st.name), ", got ",
                                      LiteralTypeName(it->second->kind), " exp ",
                                      LiteralTypeName(lit->kind)));
          }
          lit = it->second->Clone();
        }
      }
      TICK_RETURN_IF_ERROR(scope.Define(st.name, std::move(lit), st.name_range));
    } else if (st.kind == ast::StmtKind::kTypedVar) {
      if (scope.Contains(st.name)) return redefine(st);
      static const char* kTypes[] = {"int",      "float",  "bool", "string", "regex",
                                     "duration", "lambda", "list", "star"};
      static const ExprKind kKinds[] = {ExprKind::kInt,    ExprKind::kFloat, ExprKind::kBool,
                                        ExprKind::kString, ExprKind::kRegex, ExprKind::kDuration,
                                        ExprKind::kLambda, ExprKind::kList,  ExprKind::kStar};
      int idx = -1;
      for (int i = 0; i < 9; ++i) {
        if (st.type_name == kTypes[i]) idx = i;
      }
      if (idx < 0) {
        return ErrAt(source, st.type_range,
                     absl::StrCat("invalid var type \"", Sv(st.type_name), "\""));
      }
      const Expr* supplied = nullptr;
      if (predefined != nullptr) {
        auto it = predefined->find(st.name);
        if (it != predefined->end()) supplied = it->second.get();
      }
      if (supplied == nullptr) {
        return ErrAt(source, st.name_range,
                     absl::StrCat("missing value for var \"", Sv(st.name), "\"."));
      }
      if (supplied->kind != kKinds[idx]) {
        return ErrAt(
            source, st.name_range,
            absl::StrCat("invalid type supplied for ", Sv(st.name), ", got ",
                         LiteralTypeName(supplied->kind), " exp ", LiteralTypeName(kKinds[idx])));
      }
      TICK_RETURN_IF_ERROR(scope.Define(st.name, supplied->Clone(), st.name_range));
    }
  }
  return scope;
}

}  // namespace tick::interp
