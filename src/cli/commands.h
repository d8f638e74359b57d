// commands.h: what each subcommand of `tim` runs: it turns the Options
// into a library call and prints the result; returns the exit code.
#ifndef TIM_SRC_CLI_COMMANDS_H_
#define TIM_SRC_CLI_COMMANDS_H_

#include "cli/options.h"

namespace tim::cli {

int RunIngest(const Options& options);
int RunDelete(const Options& options);
int RunSearch(Options& options);
int RunExport(Options& options);
int RunSimilar(Options& options);
int RunStats(const Options& options);
int RunShow(const Options& options);

}  // namespace tim::cli

#endif  // TIM_SRC_CLI_COMMANDS_H_
