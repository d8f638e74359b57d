#include "tim/version.h"

#include <unicode/uversion.h>
#include <xapian.h>

#include "index/schema.h"

namespace tim {

RuntimeVersions Versions() {
  UVersionInfo icu;
  u_getVersion(icu);
  char icu_text[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(icu, icu_text);
  return {TIM_VERSION_STRING, schema::kSchemaVersion, Xapian::version_string(), icu_text};
}

}  // namespace tim
