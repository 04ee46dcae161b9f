#include "../test.h"
int main(void) { return test_summary("capi_objects"); }
