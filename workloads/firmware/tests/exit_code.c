/* Exits with the status given on its command line (default 0). */
#include "cmdline.h"

int main(void) {
  return test_atoi(test_cmdline());
}
