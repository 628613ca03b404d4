#include "test_harness.h"

int main() { return dendrite_test::run_all(); }
