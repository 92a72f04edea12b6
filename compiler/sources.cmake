# The sources of the Cadence library (every phase), shared by the native
# build (compiler/CMakeLists.txt) and the WebAssembly build of the playground
# (playground/CMakeLists.txt). One file per lint rule: a new
# compiler/lint/rule_<name>.cpp is picked up by the glob.
file(GLOB CADENCE_LINT_RULES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/lint/rule_*.cpp)
set(CADENCE_CORE_SOURCES ${CADENCE_LINT_RULES})
foreach(source
    source/source.cpp
    diag/diagnostic.cpp
    diag/render.cpp
    diag/sarif.cpp
    diag/report.cpp
    diag/ordered_report.cpp
    diag/explain.cpp
    syntax/parser.cpp
    support/suggest.cpp
    sema/workspace.cpp
    sema/check.cpp
    sema/check_items.cpp
    sema/check_segments.cpp
    sema/check_flow.cpp
    sema/analysis.cpp
    emit/fetchxml.cpp
    emit/reports.cpp
    emit/rank.cpp
    driver/schema_import.cpp
    emit/plan.cpp
    emit/plan_read.cpp
    emit/graph.cpp
    export/target.cpp
    export/common.cpp
    export/outreach.cpp
    export/salesloft.cpp
    export/hubspot.cpp
    export/diagnose.cpp
    export/folder.cpp
    import/writer.cpp
    import/importer.cpp
    import/builder.cpp
    import/hubspot.cpp
    import/outreach.cpp
    import/salesloft.cpp
    deploy/deploy.cpp
    deploy/dynamics.cpp
    sim/load.cpp
    sim/expected.cpp
    sim/simulate.cpp
    fmt/format.cpp
    support/file_io.cpp
    support/escape.cpp
    support/json_input.cpp
    support/json_writer.cpp
    support/paths.cpp
    support/sha256.cpp
    support/civil_date.cpp
    support/duration.cpp
    lint/lint.cpp
    lint/suppression.cpp
    config/config.cpp
    driver/run.cpp
    driver/fix.cpp
    driver/verify.cpp
    driver/plan_diff.cpp
    lsp/transport.cpp
    lsp/server.cpp
    lsp/document.cpp
    lsp/protocol.cpp
    lsp/cursor.cpp
    lsp/hover.cpp
    lsp/navigation.cpp
    lsp/completion.cpp
    lsp/actions.cpp
    lsp/symbols.cpp
    )
  list(APPEND CADENCE_CORE_SOURCES ${CMAKE_CURRENT_LIST_DIR}/${source})
endforeach()

# The headers most files include, precompiled where the compiler makes that
# pay (CADENCE_PCH: clang, and Emscripten's clang for the playground).
set(CADENCE_PCH_HEADERS
  <algorithm> <map> <memory> <optional> <string> <string_view> <vector>
  <fmt/format.h> <nlohmann/json.hpp>)
