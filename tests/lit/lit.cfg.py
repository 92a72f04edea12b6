# lit configuration for Cadence's user-visible behaviour: every test runs the
# real `cadence` binary and checks its output with FileCheck.
import os
import lit.formats

config.name = "cadence"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cadence", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(os.path.dirname(config.cadence_binary), "..", "tests", "lit-out")

# Colour and the user's environment must not leak into golden output.
config.environment["NO_COLOR"] = "1"
config.environment.pop("CADENCE_STDLIB", None)

# Time limits catch hangs and costs that grow with the wrong thing; an
# unoptimised build under sanitizers runs tens of times slower, so its
# limits stretch (exitcode.py and the LSP clients read the factor).
slow_build = bool(getattr(config, "sanitize", "")) or getattr(config, "build_type", "") == "Debug"
config.environment["CADENCE_TIMEOUT_SCALE"] = "20" if slow_build else "1"
# The same builds run a quarter of each property test's generated cases
# (Inputs/cases.py): the code paths stay, the repetitions go.
config.environment["CADENCE_CASES_DIVISOR"] = "4" if slow_build else "1"

# Tests that run no binary of this build (scripts, packaging) give the same
# result in every flavour: they run in the plain build only.
if not getattr(config, "sanitize", ""):
    config.available_features.add("plain-build")

config.substitutions.append(("%cadence", config.cadence_binary))
config.substitutions.append(("%FileCheck", os.path.join(config.llvm_tools_dir, "FileCheck")))
config.substitutions.append(("%not", os.path.join(config.llvm_tools_dir, "not")))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%ajv", config.ajv))
config.substitutions.append(("%sarif-multitool", config.sarif_multitool))
config.substitutions.append(("%src", config.cadence_source_dir))
config.substitutions.append(("%builddir", config.build_dir))
config.substitutions.append(("%cmake", config.cmake))
config.substitutions.append(("%ctest", config.ctest))
config.substitutions.append(("%schema", os.path.join(config.cadence_source_dir, "docs", "plan-v1.schema.json")))
config.substitutions.append(("%examples", os.path.join(config.cadence_source_dir, "examples")))
config.substitutions.append(("%inputs", os.path.join(os.path.dirname(__file__), "Inputs")))
config.substitutions.append(("%lsp-session", config.python + " " + os.path.join(os.path.dirname(__file__), "Inputs", "lsp_session.py") + " " + config.cadence_binary))
config.substitutions.append(("%exitcode", config.python + " " + os.path.join(os.path.dirname(__file__), "Inputs", "exitcode.py")))
config.substitutions.append(("%make_input", config.python + " " + os.path.join(os.path.dirname(__file__), "Inputs", "make_input.py")))

# The cadence binary links mimalloc when it was found (not under sanitizers).
if getattr(config, "mimalloc", "") in ("1", "ON", "TRUE", "YES", "True"):
    config.available_features.add("mimalloc")

# Tests of ownership and special files need root (CI runs as root).
if hasattr(os, "geteuid") and os.geteuid() == 0:
    config.available_features.add("root")

# Neovim (Debian's 0.7) for the editor test; scripts/setup.sh --tests installs it.
import shutil
if shutil.which("nvim"):
    config.available_features.add("nvim")

# Packaging the VS Code extension needs vsce (tests/tools) and the
# extension's own dependencies (editors/vscode/node_modules).
_vscode = os.path.join(config.cadence_source_dir, "editors", "vscode")
_vsce = os.path.join(config.cadence_source_dir, "tests", "tools", "node_modules", ".bin", "vsce")
if os.path.exists(_vsce) and os.path.isdir(os.path.join(_vscode, "node_modules", "vscode-languageclient")):
    config.available_features.add("vsce")
config.substitutions.append(("%vsce", _vsce))

# Validators from the npm registry (scripts/setup.sh --tests installs them):
# tests that need one are left out, with a note, when it is missing.
if os.path.exists(config.ajv):
    config.available_features.add("ajv")
if os.path.exists(config.sarif_multitool):
    config.available_features.add("sarif-multitool")

# The platforms' own published OpenAPI descriptions (npm: @opensdks/sdk-outreach,
# @opensdks/sdk-salesloft) and the validator that holds exports to them.
_tools = os.path.join(config.cadence_source_dir, "tests", "tools")
_published = [os.path.join(_tools, "node_modules", "@opensdks", "sdk-outreach", "outreach.oas.json"),
              os.path.join(_tools, "node_modules", "@opensdks", "sdk-salesloft", "salesloft.oas.json")]
if shutil.which("node") and all(os.path.exists(p) for p in _published):
    config.available_features.add("published-oas")
config.substitutions.append(("%validate-published", "node " + os.path.join(_tools, "oas", "validate.mjs")))
