// File: nodes/alert_template_data.cc
#include "nodes/alert_template_data.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <numeric>

#include "base/strings.h"
#include "interpreter/gofmt.h"
#include "interpreter/gofmt_internal.h"

namespace tick::nodes {
namespace {

using interp::TemplateField;
using interp::TemplateValue;

constexpr size_t kIdInfoFields = 5;
constexpr size_t kMessageInfoFields = 10;
constexpr size_t kDetailsInfoFields = 11;

}  // namespace

void AppendGroupId(std::string_view name, std::span<const AlertTag> tags,
                   std::span<const std::string_view> dimensions, bool by_name, std::string* out) {
  if (dimensions.empty()) {
    if (by_name) out->append(name);
    return;
  }
  if (by_name) {
    out->append(name);
    out->push_back('\n');
  }
  for (size_t i = 0; i < dimensions.size(); ++i) {
    if (i != 0) out->push_back(',');
    out->append(dimensions[i]);
    out->push_back('=');
    for (const AlertTag& t : tags) {
      if (t.key == dimensions[i]) {
        out->append(t.value);
        break;
      }
    }
  }
}

TemplateValue ToTemplateValue(const interp::Value& v) {
  switch (v.kind()) {
    case interp::ValueKind::kFloat:
      return TemplateValue::Float(v.float_value());
    case interp::ValueKind::kInt:
      return TemplateValue::Int(v.int_value());
    case interp::ValueKind::kUint:
      return TemplateValue::Uint(v.uint_value());
    case interp::ValueKind::kString:
      return TemplateValue::String(v.string_value());
    case interp::ValueKind::kBool:
      return TemplateValue::Bool(v.bool_value());
    case interp::ValueKind::kDuration:
      return TemplateValue::Duration(v.int_value());
    case interp::ValueKind::kTime:
      return TemplateValue::Time(v.int_value());
    default:
      return TemplateValue::Nil();
  }
}

void AlertTemplateData::SetIdInfo(std::string_view name, std::string_view task_name,
                                  std::string_view group, std::span<const AlertTag> tags,
                                  const AlertServerInfo& server_info) {
  tags_.clear();
  tags_.reserve(tags.size());
  for (const AlertTag& t : tags) tags_.push_back({t.key, TemplateValue::String(t.value)});
  server_info_[0] = {"Hostname", TemplateValue::String(server_info.hostname)};
  server_info_[1] = {"ClusterID", TemplateValue::String(server_info.cluster_id)};
  server_info_[2] = {"ServerID", TemplateValue::String(server_info.server_id)};
  top_[0] = {"Name", TemplateValue::String(name)};
  top_[1] = {"TaskName", TemplateValue::String(task_name)};
  top_[2] = {"Group", TemplateValue::String(group.empty() ? std::string_view("nil") : group)};
  top_[3] = {"Tags", TemplateValue::Map(tags_, interp::MapElem::kString)};
  top_[4] = {"ServerInfo", TemplateValue::Struct("kapacitor.serverInfo", server_info_)};
}

void AlertTemplateData::SetMessageInfo(std::string_view id, std::span<const AlertField> fields,
                                       AlertLevel level, int64_t time_ns, int64_t duration_ns) {
  fields_.clear();
  fields_.reserve(fields.size());
  for (const AlertField& f : fields) fields_.push_back({f.name, ToTemplateValue(f.value)});
  top_[5] = {"ID", TemplateValue::String(id)};
  top_[6] = {"Fields", TemplateValue::Map(fields_, interp::MapElem::kInterface)};
  top_[7] = {"Level", TemplateValue::String(AlertLevelName(level))};
  top_[8] = {"Time", TemplateValue::Time(time_ns)};
  top_[9] = {"Duration", TemplateValue::Duration(duration_ns)};
}

void AlertTemplateData::SetMessage(std::string_view message) {
  top_[10] = {"Message", TemplateValue::String(message)};
}

TemplateValue AlertTemplateData::IdData() const {
  return TemplateValue::Struct("kapacitor.idInfo",
                               std::span<const TemplateField>(top_.data(), kIdInfoFields));
}

TemplateValue AlertTemplateData::MessageData() const {
  return TemplateValue::Struct("kapacitor.messageInfo",
                               std::span<const TemplateField>(top_.data(), kMessageInfoFields));
}

TemplateValue AlertTemplateData::DetailsData() const {
  return TemplateValue::Struct("kapacitor.detailsInfo",
                               std::span<const TemplateField>(top_.data(), kDetailsInfoFields));
}

bool AppendAlertJsonFunc(const TemplateValue& v, std::string* out) {
  const bool ok = interp::AppendTemplateValueJson(out, v);
  out->push_back('\n');
  return ok;
}

void AddAlertDetailsFuncs(interp::FuncMap* funcs) {
  interp::TemplateFuncSpec spec;
  spec.min_args = 1;
  spec.max_args = 1;
  // Kapacitor ignores the encoder's error (NaN/Inf) and returns what was written.
  spec.fn = [](std::span<const TemplateValue> args, std::string* result) {
    AppendAlertJsonFunc(args[0], result);
    return absl::OkStatus();
  };
  (*funcs)["json"] = std::move(spec);
}

namespace {

// A single-pass writer of html-escaped compact JSON, i.e. exactly
// AppendHtmlEscaped(AppendTemplateValueJson(v)) without the intermediate string. Go's HTML-safe
// JSON never contains a raw NUL, `<`, `>` or `&`, so the HTML escaping only ever touches `"`
// (structural quotes and the `\"` escape), `'` and `+` (inside strings, and `+` in float
// exponents).

// Byte classes inside a JSON string: 0 copied as is, 1 special ASCII, 2 start of non-ASCII.
constexpr std::array<uint8_t, 256> MakeStringClass() {
  std::array<uint8_t, 256> c{};
  for (int b = 0; b < 0x20; ++b) c[b] = 1;
  for (unsigned char b : {'"', '\\', '<', '>', '&', '\'', '+'}) c[b] = 1;
  for (int b = 0x80; b < 0x100; ++b) c[b] = 2;
  return c;
}
constexpr std::array<uint8_t, 256> kStringClass = MakeStringClass();
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::string_view kQuot = "&#34;";

// Length of each ASCII byte's html-escaped JSON string encoding.
constexpr std::array<uint8_t, 128> MakeAsciiLen() {
  std::array<uint8_t, 128> t{};
  for (int b = 0; b < 128; ++b) t[b] = 1;
  for (int b = 0; b < 0x20; ++b) t[b] = 6;
  t['\b'] = t['\f'] = t['\n'] = t['\r'] = t['\t'] = 2;
  t['\\'] = 2;
  t['"'] = 6;  // \&#34;
  t['<'] = t['>'] = t['&'] = 6;
  t['\''] = t['+'] = 5;
  return t;
}
constexpr std::array<uint8_t, 128> kAsciiLen = MakeAsciiLen();

char* Put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// Writes the html-escaped JSON encoding of ASCII byte `b` (kAsciiLen[b] > 1) at `p`; returns
// the end.
char* WriteEscapedAscii(char* p, unsigned char b) {
  switch (b) {
    case '"':
      return Put(p, "\\&#34;");
    case '\\':
      return Put(p, "\\\\");
    case '<':
      return Put(p, "\\u003c");
    case '>':
      return Put(p, "\\u003e");
    case '&':
      return Put(p, "\\u0026");
    case '\'':
      return Put(p, "&#39;");
    case '+':
      return Put(p, "&#43;");
    case '\b':
      return Put(p, "\\b");
    case '\f':
      return Put(p, "\\f");
    case '\n':
      return Put(p, "\\n");
    case '\r':
      return Put(p, "\\r");
    case '\t':
      return Put(p, "\\t");
    default: {
      const char u[6] = {'\\', 'u', '0', '0', kHexDigits[b >> 4], kHexDigits[b & 0xF]};
      return Put(p, std::string_view(u, sizeof(u)));
    }
  }
}

// The all-ASCII case, sized exactly by a first pass and written in place. Returns false
// (leaving `out` unchanged) when `s` has a non-ASCII byte.
bool AppendEscapedAsciiJsonString(std::string* out, std::string_view s) {
  const auto* data = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t len = 0;
  unsigned high = 0;
  for (size_t i = 0; i < n; ++i) {
    high |= data[i];
    len += kAsciiLen[data[i] & 0x7F];
  }
  if ((high & 0x80) != 0) return false;
  const size_t old = out->size();
  out->resize(old + len + 2 * kQuot.size());
  char* p = Put(out->data() + old, kQuot);
  if (len == n) {
    if (n != 0) std::memcpy(p, data, n);
    p += n;
  } else {
    for (size_t i = 0; i < n; ++i) {
      const unsigned char b = data[i];
      if (kAsciiLen[b] == 1) {
        *p++ = static_cast<char>(b);
      } else {
        p = WriteEscapedAscii(p, b);
      }
    }
  }
  Put(p, kQuot);
  return true;
}

void AppendEscapedJsonString(std::string* out, std::string_view s) {
  if (AppendEscapedAsciiJsonString(out, s)) return;
  out->append(kQuot);
  const char* const data = s.data();
  const size_t n = s.size();
  size_t start = 0;
  size_t i = 0;
  while (i < n) {
    const auto b = static_cast<unsigned char>(data[i]);
    const uint8_t cls = kStringClass[b];
    if (cls == 0) {
      ++i;
      continue;
    }
    if (cls == 1) {
      out->append(data + start, i - start);
      char buf[6];
      out->append(buf, static_cast<size_t>(WriteEscapedAscii(buf, b) - buf));
      ++i;
      start = i;
      continue;
    }
    uint32_t r = 0;
    const int size = interp::internal::DecodeUtf8(s, i, &r);
    if (size < 0) {
      out->append(data + start, i - start);
      out->append("\\ufffd");
      ++i;
      start = i;
      continue;
    }
    if (r == 0x2028 || r == 0x2029) {
      out->append(data + start, i - start);
      out->append(r == 0x2028 ? "\\u2028" : "\\u2029");
      i += size;
      start = i;
      continue;
    }
    i += size;
  }
  out->append(data + start, n - start);
  out->append(kQuot);
}

// HTML-escapes what was appended to `out` since `from` (numbers and times: only `+` can occur,
// in float exponents, but every special byte is handled).
void HtmlEscapeTail(std::string* out, size_t from) {
  const std::string_view tail(out->data() + from, out->size() - from);
  bool special = false;
  for (const char c : tail) {
    special |= c == '"' || c == '\'' || c == '+' || c == '&' || c == '<' || c == '>' || c == '\0';
  }
  if (!special) return;
  char buf[64];
  if (tail.size() <= sizeof(buf)) {
    std::memcpy(buf, tail.data(), tail.size());
    const std::string_view copy(buf, tail.size());
    out->resize(from);
    interp::AppendHtmlEscaped(out, copy);
  } else {
    const std::string copy(tail);
    out->resize(from);
    interp::AppendHtmlEscaped(out, copy);
  }
}

// Per-depth scratch for sorting unsorted map entries (no allocation once warmed up).
std::span<const TemplateField> SortedMapEntries(const TemplateValue& m, size_t depth) {
  const auto f = m.fields();
  bool sorted = true;
  for (size_t i = 1; i < f.size(); ++i) {
    if (f[i - 1].name > f[i].name) {
      sorted = false;
      break;
    }
  }
  if (sorted) return f;
  thread_local std::vector<std::vector<TemplateField>> pool;
  if (pool.size() <= depth) pool.resize(depth + 1);
  std::vector<TemplateField>& scratch = pool[depth];
  scratch.assign(f.begin(), f.end());
  // Same algorithm as the template engine's json, so equal keys end up in the same order.
  std::sort(scratch.begin(), scratch.end(),
            [](const TemplateField& a, const TemplateField& b) { return a.name < b.name; });
  return scratch;
}

void AppendEscapedJson(std::string* out, const TemplateValue& v, size_t depth);

// Appends the struct entries [begin, end) of `v`, each preceded by a comma except the first of
// the struct.
void AppendEscapedStructEntries(std::string* out, const TemplateValue& v, size_t begin,
                                size_t end) {
  const auto entries = v.fields();
  for (size_t i = begin; i < end && i < entries.size(); ++i) {
    if (i != 0) out->push_back(',');
    AppendEscapedJsonString(out, entries[i].name);
    out->push_back(':');
    AppendEscapedJson(out, entries[i].value, 1);
  }
}

void AppendEscapedJson(std::string* out, const TemplateValue& v, size_t depth) {
  switch (v.kind()) {
    case interp::TemplateKind::kNil:
      out->append("null");
      return;
    case interp::TemplateKind::kString:
      AppendEscapedJsonString(out, v.str());
      return;
    case interp::TemplateKind::kFloat: {
      const size_t from = out->size();
      internal::AppendJsonFloatMemo(out, v.f());
      HtmlEscapeTail(out, from);
      return;
    }
    case interp::TemplateKind::kInt:
    case interp::TemplateKind::kDuration:
      interp::AppendInt(out, v.i());
      return;
    case interp::TemplateKind::kUint:
      interp::AppendUint(out, v.u());
      return;
    case interp::TemplateKind::kBool:
      out->append(v.b() ? "true" : "false");
      return;
    case interp::TemplateKind::kTime: {
      out->append(kQuot);
      const size_t from = out->size();
      internal::AppendRFC3339NanoMemo(out, v.i());
      HtmlEscapeTail(out, from);
      out->append(kQuot);
      return;
    }
    case interp::TemplateKind::kMap:
    case interp::TemplateKind::kStruct: {
      const auto entries =
          v.kind() == interp::TemplateKind::kMap ? SortedMapEntries(v, depth) : v.fields();
      if (entries.empty()) {
        out->append("{}");
        return;
      }
      out->push_back('{');
      bool first = true;
      for (const TemplateField& e : entries) {
        if (!first) out->push_back(',');
        first = false;
        AppendEscapedJsonString(out, e.name);
        out->push_back(':');
        AppendEscapedJson(out, e.value, depth + 1);
      }
      out->push_back('}');
      return;
    }
    case interp::TemplateKind::kList: {
      if (v.items().empty()) {
        out->append("[]");
        return;
      }
      out->push_back('[');
      bool first = true;
      for (const TemplateValue& e : v.items()) {
        if (!first) out->push_back(',');
        first = false;
        AppendEscapedJson(out, e, depth + 1);
      }
      out->push_back(']');
      return;
    }
  }
}

}  // namespace

void AppendDefaultDetails(const TemplateValue& details, std::string* out) {
  AppendEscapedJson(out, details, 0);
  out->push_back('\n');
}

void AppendDefaultDetailsHead(const TemplateValue& details, std::string* out) {
  out->push_back('{');
  AppendEscapedStructEntries(out, details, 0, kDefaultDetailsSplit);
}

void AppendDefaultDetailsTail(const TemplateValue& details, std::string* out) {
  AppendEscapedStructEntries(out, details, kDefaultDetailsSplit, details.fields().size());
  out->append("}\n");
}

DefaultDetailsTailWriter::Piece DefaultDetailsTailWriter::MakePiece(std::string html) {
  Piece p;
  p.html = std::move(html);
  AppendEventJsonStringBody(&p.json, p.html);
  return p;
}

DefaultDetailsTailWriter::DefaultDetailsTailWriter() {
  auto key = [](std::string_view name) {
    std::string out = ",";
    AppendEscapedJsonString(&out, name);
    out.push_back(':');
    return out;
  };
  fields_key_ = MakePiece(key("Fields"));
  for (int l = 0; l < kNumAlertLevels; ++l) {
    std::string h = key("Level");
    AppendEscapedJsonString(&h, AlertLevelName(static_cast<AlertLevel>(l)));
    h += key("Time");
    h += kQuot;
    level_[l] = MakePiece(std::move(h));
  }
  after_time_ = MakePiece(std::string(kQuot) + key("Duration"));
  message_key_ = MakePiece(key("Message"));
  close_ = MakePiece("}\n");
}

void DefaultDetailsTailWriter::MessagePieces(std::string_view message, std::string* html,
                                             std::string* json) {
  html->clear();
  AppendEscapedJsonString(html, message);
  json->clear();
  AppendEventJsonStringBody(json, *html);
}

void DefaultDetailsTailWriter::AppendValue(const interp::Value& v, size_t i) {
  char* const at = arena_ + arena_used_;
  int n = 0;
  switch (v.kind()) {
    case interp::ValueKind::kFloat: {
      // Through the memo: the event JSON formats the same value again.
      std::string& t = value_html_[i];
      t.clear();
      internal::AppendJsonFloatMemo(&t, v.float_value());
      if (t.find('+') == std::string::npos) {  // digits, '.', '-', 'e', "null"
        Plain(t);
        return;
      }
      // An exponent sign: the general writer below.
      n = -1;
      break;
    }
    case interp::ValueKind::kInt:
    case interp::ValueKind::kDuration:
      n = static_cast<int>(std::to_chars(at, at + 24, v.int_value()).ptr - at);
      break;
    case interp::ValueKind::kUint:
      n = static_cast<int>(std::to_chars(at, at + 24, v.uint_value()).ptr - at);
      break;
    case interp::ValueKind::kBool:
      Plain(v.bool_value() ? std::string_view("true") : std::string_view("false"));
      return;
    default:
      n = -1;
      break;
  }
  if (n > 0) {
    arena_used_ += static_cast<size_t>(n);
    Plain(std::string_view(at, static_cast<size_t>(n)));
    return;
  }
  // Strings, times, floats with an exponent sign, nil: the general writer, then escaped.
  std::string& h = value_html_[i];
  std::string& j = value_json_[i];
  h.clear();
  j.clear();
  AppendEscapedJson(&h, ToTemplateValue(v), 1);
  AppendEventJsonStringBody(&j, h);
  segs_[nsegs_++] = {h, j};
}

bool DefaultDetailsTailWriter::Append(std::span<const AlertField> fields, AlertLevel level,
                                      int64_t time_ns, int64_t duration_ns,
                                      std::string_view message_html, std::string_view message_json,
                                      std::string* html, std::string* json) {
  for (size_t i = 1; i < fields.size(); ++i) {
    if (fields[i - 1].name > fields[i].name) return false;
  }
  // The pieces first (values formatted into arena_), then both outputs sized once.
  nsegs_ = 0;
  arena_used_ = 0;
  auto put = [&](const Piece& p) { segs_[nsegs_++] = {p.html, p.json}; };
  put(fields_key_);
  if (fields.empty()) {
    Plain("{}");
  } else {
    bool same = field_names_.size() == fields.size();
    for (size_t i = 0; same && i < fields.size(); ++i) same = field_names_[i] == fields[i].name;
    if (!same) {
      field_names_.clear();
      field_keys_.clear();
      for (size_t i = 0; i < fields.size(); ++i) {
        field_names_.emplace_back(fields[i].name);
        std::string h = i == 0 ? "{" : ",";
        AppendEscapedJsonString(&h, fields[i].name);
        h.push_back(':');
        field_keys_.push_back(MakePiece(std::move(h)));
      }
    }
    if (value_html_.size() < fields.size()) {
      value_html_.resize(fields.size());
      value_json_.resize(fields.size());
    }
    // A value takes at most 25 arena bytes (32 reserved); keep room for the time and duration.
    if (sizeof(arena_) < 32 * fields.size() + 80) return false;
    for (size_t i = 0; i < fields.size(); ++i) {
      put(field_keys_[i]);
      AppendValue(fields[i].value, i);
    }
    Plain("}");
  }
  put(level_[static_cast<int>(level)]);
  // Through the memo: the event JSON writes the same time again. Digits - : . T Z only.
  time_text_.clear();
  internal::AppendRFC3339NanoMemo(&time_text_, time_ns);
  Plain(time_text_);
  put(after_time_);
  {
    char* const at = arena_ + arena_used_;
    const int n = static_cast<int>(std::to_chars(at, at + 24, duration_ns).ptr - at);
    arena_used_ += static_cast<size_t>(n);
    Plain(std::string_view(at, static_cast<size_t>(n)));
  }
  put(message_key_);
  segs_[nsegs_++] = {message_html, message_json};
  put(close_);

  size_t hn = 0, jn = 0;
  for (size_t i = 0; i < nsegs_; ++i) {
    hn += segs_[i].html.size();
    jn += segs_[i].json.size();
  }
  const size_t h0 = html->size(), j0 = json->size();
  html->resize(h0 + hn);
  json->resize(j0 + jn);
  char* hp = html->data() + h0;
  char* jp = json->data() + j0;
  for (size_t i = 0; i < nsegs_; ++i) {
    hp = CopyBytes(hp, segs_[i].html);
    jp = CopyBytes(jp, segs_[i].json);
  }
  return true;
}

TemplateValue AlertHandlerTemplateData::Build(const AlertEventData& e) {
  tags_.clear();
  tags_.reserve(e.tags.size());
  for (const AlertTag& t : e.tags) tags_.push_back({t.key, TemplateValue::String(t.value)});

  std::vector<size_t> order(e.fields.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return e.fields[a].name < e.fields[b].name; });
  columns_.clear();
  values_.clear();
  columns_.reserve(order.size() + 1);
  values_.reserve(order.size() + 1);
  columns_.push_back(TemplateValue::String("time"));
  values_.push_back(TemplateValue::Time(e.time_ns));
  for (size_t i : order) {
    columns_.push_back(TemplateValue::String(e.fields[i].name));
    values_.push_back(ToTemplateValue(e.fields[i].value));
  }
  values_rows_[0] = TemplateValue::List(values_);
  row_[0] = {"Name", TemplateValue::String(e.name)};
  row_[1] = {"Tags", TemplateValue::Map(tags_, interp::MapElem::kString)};
  row_[2] = {"Columns", TemplateValue::List(columns_)};
  row_[3] = {"Values", TemplateValue::List(values_rows_)};
  series_[0] = TemplateValue::Struct("models.Row", row_);
  result_[0] = {"Series", TemplateValue::List(series_)};
  result_[1] = {"Err", TemplateValue::Nil()};

  top_[0] = {"ID", TemplateValue::String(e.id)};
  top_[1] = {"Message", TemplateValue::String(e.message)};
  top_[2] = {"Details", TemplateValue::String(e.details)};
  top_[3] = {"Time", TemplateValue::Time(e.time_ns)};
  top_[4] = {"Duration", TemplateValue::Duration(e.duration_ns)};
  top_[5] = {"Level", TemplateValue::String(AlertLevelName(e.level))};
  top_[6] = {"Data", TemplateValue::Struct("models.Result", result_)};
  top_[7] = {"PreviousLevel", TemplateValue::String(AlertLevelName(e.previous_level))};
  top_[8] = {"Recoverable", TemplateValue::Bool(e.recoverable)};
  return TemplateValue::Struct("alert.Data", top_);
}

}  // namespace tick::nodes
