// Data files compiled into the binary (see steward_embed in the top CMakeLists.txt), so the
// `steward` executable needs no data path at run time. Each returns the file's bytes.
#pragma once

#include <span>
#include <string_view>

namespace steward::embedded {

// A file of an embedded directory (see steward_embed_tree).
struct File {
  std::string_view path;  // relative to the directory, '/'-separated
  std::string_view bytes;
};

std::string_view HolidaysYaml();       // data/holidays.yaml (steward_core)
std::string_view JurisdictionsYaml();  // data/jurisdictions.yaml (steward_rights)
std::string_view AcmeInventoryYaml();  // examples/acme/inventory.yaml (steward_cli)
std::string_view AcmeShopManifestYaml();  // examples/acme/datasets/shop.yaml (steward_cli)
std::string_view OpenApiJson();        // src/http/openapi.json (steward_http)
std::span<const File> WebFiles();      // web/ (steward_http): the privacy center and admin console
}  // namespace steward::embedded
