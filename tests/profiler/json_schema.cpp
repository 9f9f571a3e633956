#include "json_schema.h"

#include <regex>
#include <set>

namespace tinysim::testing {
namespace {

using nlohmann::json;

class Validator {
 public:
  explicit Validator(const json& root) : root_(root) {}

  void check(const json& schema, const json& value, const std::string& where) {
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) fail(where, "not allowed here");
      return;
    }
    static const std::set<std::string> known = {
        "$schema",  "$id",   "$defs",      "title",    "description",
        "$comment", "type",  "properties", "required", "additionalProperties",
        "items",    "enum",  "const",      "minimum",  "pattern",
        "$ref",     "oneOf", "examples"};
    for (const auto& [key, _] : schema.items()) {
      if (!known.count(key)) fail(where, "schema uses an unsupported keyword '" + key + "'");
    }
    if (auto ref = schema.find("$ref"); ref != schema.end()) {
      const std::string r = ref->get<std::string>();
      const std::string prefix = "#/$defs/";
      if (r.rfind(prefix, 0) != 0 || !root_["$defs"].contains(r.substr(prefix.size()))) {
        fail(where, "unresolvable $ref " + r);
        return;
      }
      check(root_["$defs"][r.substr(prefix.size())], value, where);
    }
    if (auto type = schema.find("type"); type != schema.end()) {
      bool ok = false;
      if (type->is_string()) {
        ok = has_type(*type, value);
      } else {
        for (const json& t : *type) ok = ok || has_type(t, value);
      }
      if (!ok) {
        fail(where, "expected type " + type->dump() + ", got " + value.type_name());
        return;
      }
    }
    if (auto e = schema.find("enum"); e != schema.end()) {
      bool ok = false;
      for (const json& v : *e) ok = ok || v == value;
      if (!ok) fail(where, value.dump() + " is not one of " + e->dump());
    }
    if (auto c = schema.find("const"); c != schema.end() && *c != value) {
      fail(where, value.dump() + " is not " + c->dump());
    }
    if (auto m = schema.find("minimum");
        m != schema.end() && value.is_number() && value.get<double>() < m->get<double>()) {
      fail(where, value.dump() + " is below the minimum " + m->dump());
    }
    if (auto p = schema.find("pattern");
        p != schema.end() && value.is_string() &&
        !std::regex_search(value.get<std::string>(), std::regex(p->get<std::string>()))) {
      fail(where, value.dump() + " does not match " + p->dump());
    }
    if (auto one = schema.find("oneOf"); one != schema.end()) {
      int matches = 0;
      for (const json& alternative : *one) {
        Validator v(root_);
        v.check(alternative, value, where);
        matches += v.errors.empty();
      }
      if (matches != 1) fail(where, "matches " + std::to_string(matches) + " oneOf alternatives");
    }
    if (value.is_object()) {
      const json properties = schema.value("properties", json::object());
      for (const std::string& key : schema.value("required", std::vector<std::string>{})) {
        if (!value.contains(key)) fail(where, "missing required property '" + key + "'");
      }
      for (const auto& [key, item] : value.items()) {
        if (properties.contains(key)) {
          check(properties[key], item, where + "/" + key);
        } else if (auto extra = schema.find("additionalProperties"); extra != schema.end()) {
          if (extra->is_boolean() && !extra->get<bool>()) {
            fail(where, "unexpected property '" + key + "'");
          } else if (extra->is_object()) {
            check(*extra, item, where + "/" + key);
          }
        }
      }
    }
    if (value.is_array()) {
      if (auto items = schema.find("items"); items != schema.end()) {
        for (size_t i = 0; i < value.size(); ++i) {
          check(*items, value[i], where + "/" + std::to_string(i));
        }
      }
    }
  }

  std::vector<std::string> errors;

 private:
  static bool has_type(const json& type, const json& value) {
    const std::string t = type.get<std::string>();
    if (t == "object") return value.is_object();
    if (t == "array") return value.is_array();
    if (t == "string") return value.is_string();
    if (t == "boolean") return value.is_boolean();
    if (t == "null") return value.is_null();
    if (t == "number") return value.is_number();
    if (t == "integer") {
      return value.is_number_integer() ||
             (value.is_number_float() &&
              value.get<double>() == double(int64_t(value.get<double>())));
    }
    return false;
  }
  void fail(const std::string& where, const std::string& what) {
    errors.push_back((where.empty() ? "/" : where) + ": " + what);
  }
  const json& root_;
};

}  // namespace

std::vector<std::string> validate_json(const json& schema, const json& document) {
  Validator v(schema);
  v.check(schema, document, "");
  return v.errors;
}

}  // namespace tinysim::testing
