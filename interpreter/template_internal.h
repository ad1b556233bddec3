// File: interpreter/template_internal.h
//
// fmt.Sprint / Sprintln / Sprintf over TemplateValue arguments (template_fmt.cc), used by the
// template builtins print, println and printf. Not a public API.
#ifndef TICK_INTERPRETER_TEMPLATE_INTERNAL_H_
#define TICK_INTERPRETER_TEMPLATE_INTERNAL_H_

#include <span>
#include <string>
#include <string_view>

#include "interpreter/template.h"

namespace tick::interp::internal {

void GoSprint(std::string* out, std::span<const TemplateValue> args);
void GoSprintln(std::string* out, std::span<const TemplateValue> args);
void GoSprintf(std::string* out, std::string_view format, std::span<const TemplateValue> args);

}  // namespace tick::interp::internal

#endif  // TICK_INTERPRETER_TEMPLATE_INTERNAL_H_
