// The layers of ARCHITECTURE.md hold: no file of a layer, public header,
// internal header or compiled source, includes a layer above it. core uses
// Asio and spdlog only; threading uses core; the three faces use core and
// threading but not each other; io, net and http use everything below them.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::set<std::string>>& allowed()
{
    static const std::map<std::string, std::set<std::string>> rules = {
        {"core", {"core"}},
        {"threading", {"core", "threading"}},
        {"apm", {"core", "threading", "apm"}},
        {"eap", {"core", "threading", "eap"}},
        {"tap", {"core", "threading", "tap"}},
        {"io", {"core", "threading", "apm", "eap", "tap", "io"}},
        {"net", {"core", "threading", "apm", "eap", "tap", "io", "net"}},
        {"http", {"core", "threading", "apm", "eap", "tap", "io", "net", "http"}},
    };
    return rules;
}

// The first folder of what an #include line names: LAYER of
// <dotasync/LAYER/...> (installed headers) or of "LAYER/..." (the library's
// private headers, included relative to lib/); empty for any other line.
std::string included_layer(const std::string& line)
{
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || line[i] != '#')
        return {};
    i = line.find_first_not_of(" \t", i + 1);
    if (i == std::string::npos || line.compare(i, 7, "include") != 0)
        return {};
    i = line.find_first_of("<\"", i + 7);
    if (i == std::string::npos)
        return {};
    std::string path = line.substr(i + 1);
    if (path.starts_with("dotasync/"))
        path.erase(0, 9);
    const std::size_t slash = path.find('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// "file: includes <layer>/…" for every include of a layer not allowed in
// `layer`, in every file under the layer's folders of root.
std::vector<std::string> violations(const fs::path& root, const std::string& layer)
{
    std::vector<std::string> found;
    for (const fs::path& dir : {root / "include" / "dotasync" / layer, root / "lib" / layer}) {
        if (!fs::is_directory(dir))
            continue;
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
            if (!entry.is_regular_file())
                continue;
            const auto ext = entry.path().extension();
            if (ext != ".hpp" && ext != ".cpp" && ext != ".ipp")
                continue;
            std::ifstream in(entry.path());
            std::string line;
            for (int number = 1; std::getline(in, line); ++number) {
                const std::string target = included_layer(line);
                if (allowed().contains(target) && !allowed().at(layer).contains(target))
                    found.push_back(fs::relative(entry.path(), root).string() + ":" + std::to_string(number) +
                                    ": includes " + target + "/");
            }
        }
    }
    return found;
}

void check_layer(const std::string& layer)
{
    const auto found = violations(DOTASYNC_SOURCE_ROOT, layer);
    for (const auto& v : found)
        BOOST_ERROR(v);
    BOOST_TEST(found.empty());
}

} // namespace

BOOST_AUTO_TEST_SUITE(layers)

BOOST_AUTO_TEST_CASE(the_source_tree_is_where_the_check_looks)
{
    BOOST_TEST(fs::is_directory(fs::path(DOTASYNC_SOURCE_ROOT) / "include" / "dotasync" / "core"));
    BOOST_TEST(fs::is_directory(fs::path(DOTASYNC_SOURCE_ROOT) / "lib" / "core"));
}

BOOST_AUTO_TEST_CASE(core_includes_only_core)
{
    check_layer("core");
}

BOOST_AUTO_TEST_CASE(threading_includes_only_core_and_itself)
{
    check_layer("threading");
}

BOOST_AUTO_TEST_CASE(the_faces_include_core_and_threading_but_not_each_other)
{
    check_layer("apm");
    check_layer("eap");
    check_layer("tap");
}

BOOST_AUTO_TEST_CASE(io_net_and_http_include_only_what_is_below_them)
{
    check_layer("io");
    check_layer("net");
    check_layer("http");
}

// The check itself can fail: a core file that includes threading, in a tree
// made for the purpose, is reported with its file and line.
BOOST_AUTO_TEST_CASE(a_core_file_that_includes_threading_is_reported)
{
    const fs::path root = fs::temp_directory_path() / ("dotasync-layers-" + std::to_string(::getpid()));
    fs::create_directories(root / "lib" / "core");
    fs::create_directories(root / "include" / "dotasync" / "core");
    std::ofstream(root / "lib" / "core" / "bad.cpp") << "#include <dotasync/core/ok.hpp>\n"
                                                         "#include \"threading/default_runtime.hpp\"\n";
    std::ofstream(root / "include" / "dotasync" / "core" / "bad.hpp") << "#include <dotasync/tap/task.hpp>\n";
    const auto found = violations(root, "core");
    fs::remove_all(root);
    BOOST_TEST(found.size() == 2u);
    const std::set<std::string> got(found.begin(), found.end());
    BOOST_TEST(got.contains("lib/core/bad.cpp:2: includes threading/"));
    BOOST_TEST(got.contains("include/dotasync/core/bad.hpp:1: includes tap/"));
}

BOOST_AUTO_TEST_SUITE_END()
