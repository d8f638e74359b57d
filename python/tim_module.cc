// The `tim` Python module: the library's Searcher, ingest and export for
// Python. Requests are the server's named parameters (tim/request_params.h)
// and results the JSON contract (tim/json.h), parsed into dicts and lists:
// one request form and one JSON form for the CLI, the server and Python.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/json.h"
#include "tim/request_params.h"
#include "tim/searcher.h"
#include "tim/version.h"

namespace py = pybind11;

namespace {

py::object JsonToPython(const std::string& json) {
  return py::module_::import("json").attr("loads")(json);
}

std::string PythonToJson(const py::object& value) {
  return py::module_::import("json").attr("dumps")(value, py::arg("ensure_ascii") = false)
      .cast<std::string>();
}

// The keyword arguments of a call as request parameters, `query` as q.
tim::Params ParamsOf(const std::string& query, const py::kwargs& options) {
  py::dict params;
  if (!query.empty()) params["q"] = query;
  for (const auto& [name, value] : options) params[name] = value;
  return tim::ParamsFromJson(PythonToJson(params));
}

class Database {
 public:
  explicit Database(const std::string& path) : path_(path) {}

  py::object Search(const std::string& query, const py::kwargs& options) {
    const tim::SearchRequest request = tim::SearchRequestFromParams(ParamsOf(query, options));
    const tim::Searcher& opened = searcher();
    std::string json;
    {
      py::gil_scoped_release release;
      json = tim::ToJson(opened.Search(request));
    }
    return JsonToPython(json);
  }

  // Every match as a dict of the stored article (ToJson(Article)), read
  // with the GIL released (a list: for_each_match is the constant-memory
  // walk).
  py::list Matches(const std::string& query, const py::kwargs& options) {
    const tim::SearchRequest request = tim::SearchRequestFromParams(ParamsOf(query, options));
    const tim::Searcher& opened = searcher();
    std::vector<std::string> articles;
    {
      py::gil_scoped_release release;
      opened.ForEachMatch(request, [&](const tim::Article& article) {
        articles.push_back(tim::ToJson(article));
        return true;
      });
    }
    py::list out;
    for (const std::string& article : articles) out.append(JsonToPython(article));
    return out;
  }

  // Calls `visit` with each match, one at a time, in constant memory; the
  // GIL is held only while `visit` runs.
  uint64_t ForEachMatch(const py::function& visit, const std::string& query,
                        const py::kwargs& options) {
    const tim::SearchRequest request = tim::SearchRequestFromParams(ParamsOf(query, options));
    const tim::Searcher& opened = searcher();
    py::gil_scoped_release release;
    return opened.ForEachMatch(request, [&](const tim::Article& article) {
      const std::string json = tim::ToJson(article);
      py::gil_scoped_acquire acquire;
      const py::object result = visit(JsonToPython(json));
      return result.is_none() || result.cast<bool>();
    });
  }

  py::object Get(const std::string& id) {
    const tim::Searcher& opened = searcher();
    std::optional<tim::Article> article;
    {
      py::gil_scoped_release release;
      article = opened.Get(id);
    }
    return article ? JsonToPython(tim::ToJson(*article)) : py::none();
  }

  py::object Stats() {
    const tim::Searcher& opened = searcher();
    std::string json;
    {
      py::gil_scoped_release release;
      json = tim::ToJson(opened.Stats());
    }
    return JsonToPython(json);
  }

  // Articles (dicts of the JSON Lines input form) and files, in one
  // atomic batch.
  py::object Ingest(const py::list& articles, const std::vector<std::string>& paths,
                    const py::kwargs& options) {
    const tim::IngestOptions ingest = tim::IngestOptionsFromParams(ParamsOf("", options));
    std::vector<std::string> inputs = paths;
    TempFile lines;
    if (!articles.empty()) {
      std::ofstream out(lines.path);
      for (const py::handle& article : articles) {
        out << PythonToJson(py::reinterpret_borrow<py::object>(article)) << "\n";
      }
      if (!out.flush()) {
        throw tim::Error(tim::ErrorCode::kIo, "cannot write " + lines.path.string());
      }
      inputs.push_back(lines.path.string());
    }
    std::string json;
    {
      py::gil_scoped_release release;
      json = tim::ToJson(tim::IngestPaths(path_, inputs, ingest));
    }
    return JsonToPython(json);
  }

  py::object Delete(const std::vector<std::string>& ids) {
    std::string json;
    {
      py::gil_scoped_release release;
      json = tim::ToJson(tim::DeleteArticles(path_, ids));
    }
    return JsonToPython(json);
  }

  const std::string& path() const { return path_; }

 private:
  struct TempFile {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("tim-python-" + std::to_string(::getpid()) + "-" +
                                  std::to_string(reinterpret_cast<uintptr_t>(this)) +
                                  ".jsonl");
    ~TempFile() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  };

  // Opened at first use, so that a database can be created by ingest.
  const tim::Searcher& searcher() {
    if (!searcher_) searcher_ = std::make_unique<tim::Searcher>(path_);
    return *searcher_;
  }

  std::string path_;
  std::unique_ptr<tim::Searcher> searcher_;
};

}  // namespace

PYBIND11_MODULE(tim, m) {
  // At import, before the module can start an ingest thread.
  tim::TuneProcessForIngest();
  m.doc() = "tim: full-text search for Vietnamese news";
  static py::exception<tim::Error> error(m, "Error");
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const tim::Error& e) {
      py::object instance = py::reinterpret_borrow<py::object>(error.ptr())(e.what());
      instance.attr("code") = tim::ErrorCodeName(e.code());
      PyErr_SetObject(error.ptr(), instance.ptr());
    }
  });

  const tim::RuntimeVersions versions = tim::Versions();
  m.attr("__version__") = versions.library;
  m.attr("SCHEMA_VERSION") = versions.schema;
  m.attr("XAPIAN_VERSION") = versions.xapian;
  m.attr("ICU_VERSION") = versions.icu;

  py::class_<Database>(m, "Database")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def_property_readonly("path", &Database::path)
      .def("search", &Database::Search, py::arg("query") = "",
           "search(query, **options) -> dict: the JSON of `tim search --json`; options "
           "are its parameters (limit, offset, sort, source, filter, from, to, facets, "
           "facet_limit, recency, recency_weight, bm25_k1, bm25_b, inferred_dates, "
           "suggest, strict)")
      .def("matches", &Database::Matches, py::arg("query") = "",
           "matches(query, **filters) -> list of article dicts: every match, in index order")
      .def("for_each_match", &Database::ForEachMatch, py::arg("visit"),
           py::arg("query") = "",
           "for_each_match(visit, query, **filters) -> count: calls visit(article) for each "
           "match in constant memory; visit returns False to stop")
      .def("get", &Database::Get, py::arg("id"), "get(id) -> article dict or None")
      .def("stats", &Database::Stats)
      .def("ingest", &Database::Ingest, py::arg("articles") = py::list(),
           py::arg("paths") = std::vector<std::string>{},
           "ingest(articles=[dicts], paths=[files], source=, skip_bad=, dedupe=, "
           "invalid_utf8=) -> report dict; one atomic batch")
      .def("delete", &Database::Delete, py::arg("ids"));
}
