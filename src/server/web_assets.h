// web_assets.h: the search page's files, embedded at build time from
// src/server/web/ (no CDN: the page works offline).
#ifndef TIM_SRC_SERVER_WEB_ASSETS_H_
#define TIM_SRC_SERVER_WEB_ASSETS_H_

#include <string_view>

namespace tim::server {

struct WebAsset {
  std::string_view path;  // "/", "/app.js", ...
  std::string_view content_type;
  std::string_view body;
};

// The file served at `path`, or nullptr.
const WebAsset* FindAsset(std::string_view path);

}  // namespace tim::server

#endif  // TIM_SRC_SERVER_WEB_ASSETS_H_
