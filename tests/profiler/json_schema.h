// A small JSON Schema validator for the tests: the subset docs/*.schema.json use (type,
// properties, required, additionalProperties, items, enum, const, minimum, pattern, $ref to
// #/$defs/..., oneOf). Unknown keywords are an error, so the schema cannot silently say more
// than is checked.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tinysim::testing {

// Problems of `document` against `schema`, each "JSON pointer: what"; empty when valid.
std::vector<std::string> validate_json(const nlohmann::json& schema,
                                       const nlohmann::json& document);

}  // namespace tinysim::testing
