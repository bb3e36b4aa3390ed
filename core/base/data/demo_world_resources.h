#pragma once
// The demo world's vocabulary and templates (resources/demo_world/*.json), compiled into the
// core by cmake/EmbedJsonResources.cmake so the generator needs no files at run time.
#include <string_view>

namespace bertwb {

// The text of one embedded JSON file by its name ("people.json"), or "" when there is none.
std::string_view demoWorldResource(std::string_view name);

}  // namespace bertwb
