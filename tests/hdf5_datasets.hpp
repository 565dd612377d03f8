// Datasets of a results file as raw bytes, to say "identical dataset for dataset" (thread counts, resumed
// sweeps, records) without caring how HDF5 laid the file out (tests only).
#pragma once

#include <hdf5.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace ccsim::testing {

inline std::vector<std::string> datasets(hid_t file) {
  std::vector<std::string> out;
  H5Ovisit(
      file, H5_INDEX_NAME, H5_ITER_NATIVE,
      [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
        if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(data)->push_back(name);
        return 0;
      },
      &out);
  return out;
}

inline std::vector<unsigned char> bytes(hid_t f, const std::string& path) {
  hid_t set = H5Dopen2(f, path.c_str(), H5P_DEFAULT), type = H5Dget_type(set), space = H5Dget_space(set);
  std::vector<unsigned char> buf(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)) *
                                 H5Tget_size(type));
  if (!buf.empty()) H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(set);
  return buf;
}

// Every dataset of two files holds the same bytes.
inline void same_datasets(const std::filesystem::path& a, const std::filesystem::path& b) {
  hid_t fa = H5Fopen(a.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
        fb = H5Fopen(b.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(fa >= 0);
  REQUIRE(fb >= 0);
  const auto names = datasets(fa);
  CHECK(names == datasets(fb));
  CHECK(names.size() > 10);
  for (const auto& name : names) {
    INFO(name);
    CHECK(bytes(fa, name) == bytes(fb, name));
  }
  H5Fclose(fa);
  H5Fclose(fb);
}

// The bytes of dataset `path` in its file type; empty when the dataset is missing or empty.
inline std::vector<unsigned char> dataset_bytes(const std::string& file, const char* path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return {};
  std::vector<unsigned char> buf;
  hid_t set = H5Dopen2(f, path, H5P_DEFAULT);
  if (set >= 0) {
    hid_t type = H5Dget_type(set), space = H5Dget_space(set);
    buf.resize(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)) * H5Tget_size(type));
    if (!buf.empty()) H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(set);
  }
  H5Fclose(f);
  return buf;
}

// Every dataset's path in the file ("/replications/contacts_by_day", ...).
inline std::vector<std::string> dataset_names(const std::string& file) {
  std::vector<std::string> names;
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return names;
  auto visit = [](hid_t root, const char* name, const H5L_info_t*, void* data) -> herr_t {
    H5O_info_t info;
    if (H5Oget_info_by_name(root, name, &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET)
      static_cast<std::vector<std::string>*>(data)->push_back(std::string("/") + name);
    return 0;
  };
  H5Lvisit(f, H5_INDEX_NAME, H5_ITER_INC, visit, &names);
  H5Fclose(f);
  return names;
}


}  // namespace ccsim::testing
