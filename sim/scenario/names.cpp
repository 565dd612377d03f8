#include "scenario/names.hpp"

#include <cstring>

namespace ccsim::scenario {
namespace {

const char* kind_name(NameKind k) {
  switch (k) {
    case NameKind::contact_type:
      return "contact type";
    case NameKind::agent_group:
      return "agent group";
    case NameKind::location:
      return "location";
    case NameKind::path_element:
      return "name";
    case NameKind::policy:
      return "policy";
    case NameKind::day_label:
      return "day label";
  }
  return "name";
}

// The byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and code points above
// U+10FFFF included), or npos; `control` is set at the first C0/C1 control character or DEL.
std::size_t invalid_utf8(const std::string& s, std::size_t& control) {
  control = std::string::npos;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (std::size_t j = 1; j < len; ++j) {
      const auto cc = static_cast<unsigned char>(s[i + j]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    if (control == std::string::npos && (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))) control = i;
    i += len;
  }
  return std::string::npos;
}

}  // namespace

std::string read_name(const Field& f, NameKind kind, std::set<std::string>* seen) {
  const std::string name = f.text();
  const std::string what = kind_name(kind);
  if (name.empty()) f.fail("a " + what + " needs a name that is not empty");
  if (name.size() > kMaxNameBytes)
    f.fail("a name is at most " + std::to_string(kMaxNameBytes) + " bytes of UTF-8; this one has " +
           std::to_string(name.size()));
  std::size_t control = 0;
  if (const std::size_t bad = invalid_utf8(name, control); bad != std::string::npos)
    f.fail("the name is not valid UTF-8 (at byte " + std::to_string(bad) + "); save the file as UTF-8");
  if (control != std::string::npos)
    f.fail("the name holds a control character (at byte " + std::to_string(control) +
           "): names are printed in tables and files");
  if (name.front() == ' ' || name.back() == ' ')
    f.fail("'" + name + "' begins or ends with a space, which no table would show");
  if (kind != NameKind::policy && kind != NameKind::day_label)
    if (const auto at = name.find_first_of(kNameSeparators); at != std::string::npos)
      f.fail("'" + name + "' holds '" + name[at] + "', which override paths (contact_types.NAME.volume, " +
             "shifts[0]) and targets (TYPE:sl=0.8,asa=20) use as a separator: names may not contain any of " +
             kNameSeparators + " (use a space, '-' or '_')");
  if ((kind == NameKind::contact_type || kind == NameKind::agent_group) && name == "all")
    f.fail(
        "'all' is reserved: it names " +
        std::string(kind == NameKind::contact_type ? "all contact types together" : "all groups together") +
        " in the results");
  if (seen && !seen->insert(name).second) f.fail(what + " '" + name + "' is defined twice");
  return name;
}

}  // namespace ccsim::scenario
