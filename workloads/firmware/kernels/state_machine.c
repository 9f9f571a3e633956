/* Classic kernel: a branchy state machine (a tokenizer for a tiny expression language run over
 * generated text). Data-dependent branches and a switch (table branch on ARMv7-M). Prints counts.
 */
#include <stdint.h>
#include <stdio.h>

#include "cmdline.h"

enum state { kStart, kNumber, kIdent, kOperator, kSpace };

static char text[2048];

__attribute__((noinline)) static void tokenize(const char* s, uint32_t counts[5]) {
  enum state st = kStart;
  for (; *s; ++s) {
    const char ch = *s;
    enum state next;
    if (ch >= '0' && ch <= '9') {
      next = st == kIdent ? kIdent : kNumber;
    } else if ((ch >= 'a' && ch <= 'z') || ch == '_') {
      next = kIdent;
    } else if (ch == ' ') {
      next = kSpace;
    } else {
      next = kOperator;
    }
    if (next != st || next == kOperator) {
      switch (next) {
        case kNumber:
          ++counts[1];
          break;
        case kIdent:
          ++counts[2];
          break;
        case kOperator:
          ++counts[3];
          break;
        case kSpace:
          ++counts[4];
          break;
        default:
          ++counts[0];
          break;
      }
    }
    st = next;
  }
}

int main(void) {
  const int arg = test_atoi(test_cmdline());
  const int repeats = arg > 0 ? arg : 16;
  static const char alphabet[] = "ab_z09 +*()x7 ";
  uint32_t x = 7;
  for (uint32_t i = 0; i + 1 < sizeof text; ++i) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    text[i] = alphabet[x % (sizeof alphabet - 1)];
  }
  uint32_t counts[5] = {0};
  for (int r = 0; r < repeats; ++r) tokenize(text, counts);
  printf("tokens %lu %lu %lu %lu\n", (unsigned long)counts[1], (unsigned long)counts[2],
         (unsigned long)counts[3], (unsigned long)counts[4]);
  return 0;
}
