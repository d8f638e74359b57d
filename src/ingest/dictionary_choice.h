// dictionary_choice.h: the zstd dictionary a batch compresses stored
// articles with, chosen before the pipeline's threads start.
#ifndef TIM_SRC_INGEST_DICTIONARY_CHOICE_H_
#define TIM_SRC_INGEST_DICTIONARY_CHOICE_H_

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

#include "index/stored_article_codec.h"
#include "tim/index_writer.h"

namespace tim::ingest {

// The dictionary of `db` (the database at `db_path`); else one trained on
// its articles; else on the first articles of the input `paths`; nullptr
// when there are too few of either. Throws Error.
std::shared_ptr<const StoredDataDictionary> ChooseDictionary(
    const Xapian::Database& db, const std::string& db_path,
    const std::vector<std::string>& paths, const IngestOptions& options);

}  // namespace tim::ingest

#endif  // TIM_SRC_INGEST_DICTIONARY_CHOICE_H_
