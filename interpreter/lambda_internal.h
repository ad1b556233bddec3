// File: interpreter/lambda_internal.h
//
// Internals of the lambda engine shared between interpreter/lambda.cc and
// interpreter/lambda_functions.cc (and white-box tests). Not a public API.
#ifndef TICK_INTERPRETER_LAMBDA_INTERNAL_H_
#define TICK_INTERPRETER_LAMBDA_INTERNAL_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.h"
#include "interpreter/lambda.h"
#include "interpreter/value.h"

namespace tick::interp::internal {

// Error codes carried in Value::Error(code, where, detail).
enum ErrorCode : uint16_t {
  kErrMissingOperand = 1,  // where = binary node id, detail = 0 left / 1 right
  kErrInvalidOperand,      // detail = 0 left / 1 right: "left value is invalid value type"
  kErrInvalidOperator,     // detail = op | type << 8
  kErrMismatch,            // detail = lt | op << 8 | rt << 16
  kErrTypeGuard,           // detail = actual | requested << 8
  kErrUnexpectedType,      // detail = kind: "expression returned unexpected type <kind>"
  kErrUnexpectedGoType,  // detail = kind: "expression returned unexpected type int64|float64|<nil>"
  kErrDivZero,           // "runtime error: integer divide by zero"
  kErrSignature,         // where = call id, detail = arg kinds (8 bits each)
  kErrMissingArgs,       // where = call id, detail = bit mask of missing arguments
  kErrDynamic,           // detail = const std::string* (owned by the EvalScratch)
  kErrFieldTagConflict,  // where = slot
};

// Comparison operators of the fast predicate form (FastOp::cmp in lambda.cc).
enum class FastCmp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

// `x <cmp> c` for doubles as "x in [lo, hi]", negated when `negate`: CompiledLambda's inline
// form of `slot <cmp> number`. Strict comparisons move the bound to the adjacent double; an
// empty interval (lo > hi) is false for every x, and NaN is outside every interval, so the
// answers are IEEE's (NaN compares false, except != which is true).
struct FloatInterval {
  double lo, hi;
  bool negate;
};
FloatInterval ToFloatInterval(FastCmp cmp, double c);

// The same for an int compared with an int constant: "x in [lo, hi]" (empty when lo > hi).
struct IntInterval {
  int64_t lo, hi;
  bool negate;
};
IntInterval ToIntInterval(FastCmp cmp, int64_t c);

// Kapacitor's ast.ValueType names; kUint stands for InvalidType ("invalid type").
const char* TypeName(ValueKind k);

// Operator classes for "invalid <class> operator".
const char* OperatorClass(ast::BinaryOp op);

// Result kind of `lt op rt` in Kapacitor's table, or kError when undefined.
ValueKind BinaryResultKind(ast::BinaryOp op, ValueKind lt, ValueKind rt);
// True if `t` appears on either side of a defined combination for `op`.
bool TypeSupportsOp(ValueKind t, ast::BinaryOp op);

// Applies a binary operator to two values whose combination is defined (not AND/OR, not
// regex match). Integer division by zero yields Value::Error(kErrDivZero, where).
Value ApplyArithmetic(ast::BinaryOp op, Value l, Value r, EvalScratch* scratch, uint32_t where);
bool CompareValues(ast::BinaryOp op, Value l, Value r);  // defined comparison combinations

// --- Builtin functions ---------------------------------------------------------------------
struct Signature {
  uint8_t arity;
  ValueKind args[4];
  ValueKind result;
};

enum class FuncId : uint8_t {
  kBool,
  kInt,
  kFloat,
  kString,
  kDuration,
  kAbs,
  kAcos,
  kAcosh,
  kAsin,
  kAsinh,
  kAtan,
  kAtan2,
  kAtanh,
  kCbrt,
  kCeil,
  kCos,
  kCosh,
  kErf,
  kErfc,
  kExp,
  kExp2,
  kExpm1,
  kFloor,
  kGamma,
  kHypot,
  kJ0,
  kJ1,
  kJn,
  kLog,
  kLog10,
  kLog1p,
  kLog2,
  kLogb,
  kMax,
  kMin,
  kMod,
  kPow,
  kPow10,
  kSin,
  kSinh,
  kSqrt,
  kTan,
  kTanh,
  kTrunc,
  kY0,
  kY1,
  kYn,
  kStrContains,
  kStrContainsAny,
  kStrCount,
  kStrHasPrefix,
  kStrHasSuffix,
  kStrIndex,
  kStrIndexAny,
  kStrLastIndex,
  kStrLastIndexAny,
  kStrLength,
  kStrReplace,
  kStrSubstring,
  kStrToLower,
  kStrToUpper,
  kStrTrim,
  kStrTrimLeft,
  kStrTrimPrefix,
  kStrTrimRight,
  kStrTrimSpace,
  kStrTrimSuffix,
  kRegexReplace,
  kIsPresent,
  kUnixNano,
  kMinute,
  kHour,
  kWeekday,
  kDay,
  kMonth,
  kYear,
  kNow,
  kHumanBytes,
  kIf,
  kSigma,
  kCount,
  kSpread,
};

struct BuiltinInfo {
  const char* name;
  FuncId id;
  std::vector<Signature> signatures;
  bool stateful;
};

// nullptr if unknown.
const BuiltinInfo* FindBuiltin(std::string_view name);

// Per-call-site mutable state of the stateful functions.
struct FuncState {
  double mean = 0, m2 = 0, n = 0;  // sigma
  double min = 0, max = 0;         // spread
  int64_t count = 0;               // count
  void Reset();
};

// sigma(x): adds x to the running mean/variance (Welford) and returns how many standard
// deviations x is from the mean (0 until there are two values or while the variance is 0).
inline double SigmaUpdate(FuncState* state, double x) {
  state->n += 1;
  const double delta = x - state->mean;
  state->mean += delta / state->n;
  state->m2 += delta * (x - state->mean);
  const double variance = state->m2 / (state->n - 1);
  if (state->n < 2 || variance == 0) return 0;
  return std::fabs(x - state->mean) / std::sqrt(variance);
}

// Calls builtin `info` with `args` whose kinds match one of its signatures. Runtime failures are
// returned as kErrDynamic errors with Kapacitor's text `error calling "f": ...` (stored in
// `scratch`). `state` is required for stateful builtins.
Value CallBuiltin(const BuiltinInfo& info, const Value* args, int nargs, FuncState* state,
                  EvalScratch* scratch);

// "Cannot call function ..." text for a signature mismatch.
std::string SignatureErrorText(const BuiltinInfo& info, const std::vector<std::string>& literals,
                               const ValueKind* kinds, int nargs);

// Go-compatible helpers (exposed for tests).
std::string GoQuote(std::string_view s);                     // strconv.Quote
void AppendFloatF(std::string* out, double f);               // strconv.FormatFloat(f,'f',-1,64)
bool ParseInfluxDuration(std::string_view s, int64_t* out);  // influxql.ParseDuration
std::string HumanBytes(uint64_t s);                          // go-humanize Bytes

// Tests only: when false, lambdas compiled afterwards have no fast predicate form, so their
// results come from the general evaluator alone (the reference for the fast form). Not
// thread-safe; default true.
void SetFastPathForTesting(bool enabled);
bool HasFastPathForTesting(const CompiledLambda& lambda);

}  // namespace tick::interp::internal

#endif  // TICK_INTERPRETER_LAMBDA_INTERNAL_H_
