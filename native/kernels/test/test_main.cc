#include "test_harness.h"

// dendrite_kernel_tests [name-filter]: runs the tests whose names contain the filter.
int main(int argc, char** argv) { return dendrite_test::run_all(argc > 1 ? argv[1] : nullptr); }
