/* Generic firmware for one imported model: one inference on deterministic input, output printed.
 *
 * Built once per model (and per core variant) with
 *   TINYSIM_MODEL=<name>                 the generated model's symbol prefix
 *   TINYSIM_MODEL_HEADER=<<name>.h>      its header
 * The input comes from the xorshift32 generator of models/reference-outputs.json: x starts at
 * the seed; per input element, in row-major order, one step (x ^= x << 13; x ^= x >> 17;
 * x ^= x << 5) and the element is (x & 0xff) - 128.
 *
 * The seed is the last word of the command line: on the target from semihosting
 * SYS_GET_CMDLINE (`tinysim run model.elf -- 3`), on the host from argv (`model-host 3`).
 * Default 1 when the command line is empty, not a number, or not available.
 *
 * Output: one line, "output: v0 v1 ... vN-1" (the int8 output tensor in decimal), then exit 0.
 * Running on silicon without a debugger, the semihosting calls halt the core: this is a
 * simulator and test workload. */
#include <stddef.h>
#include <stdint.h>

#include TINYSIM_MODEL_HEADER

#define TS_CAT_(a, b) a##b
#define TS_CAT(a, b) TS_CAT_(a, b)
#define MODEL_(suffix) TS_CAT(TINYSIM_MODEL, suffix)

enum { kInputSize = MODEL_(_input_size), kOutputSize = MODEL_(_output_size) };

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Parses the last whitespace-separated word of `text` as a decimal (or 0x hex) uint32; returns
 * `fallback` when there is none or it is not a number. */
static uint32_t parse_seed(const char* text, uint32_t fallback) {
  const char* word = NULL;
  for (const char* p = text; *p != '\0'; ++p) {
    if (!is_space(*p) && (p == text || is_space(p[-1]))) word = p;
  }
  if (word == NULL) return fallback;
  uint32_t base = 10;
  if (word[0] == '0' && (word[1] == 'x' || word[1] == 'X')) {
    base = 16;
    word += 2;
  }
  uint64_t value = 0;
  const char* p = word;
  for (; *p != '\0' && !is_space(*p); ++p) {
    uint32_t digit;
    if (*p >= '0' && *p <= '9') {
      digit = (uint32_t)(*p - '0');
    } else if (base == 16 && *p >= 'a' && *p <= 'f') {
      digit = (uint32_t)(*p - 'a' + 10);
    } else if (base == 16 && *p >= 'A' && *p <= 'F') {
      digit = (uint32_t)(*p - 'A' + 10);
    } else {
      return fallback;
    }
    value = value * base + digit;
    if (value > 0xFFFFFFFFu) return fallback;
  }
  return p == word ? fallback : (uint32_t)value;
}

static void fill_input(int8_t* input, uint32_t seed) {
  uint32_t x = seed;
  for (int32_t i = 0; i < kInputSize; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    input[i] = (int8_t)((int32_t)(x & 0xffu) - 128);
  }
}

/* "output: " + up to 5 characters per value ("-128 ") + newline + NUL. */
static char line[8 + 5 * kOutputSize + 2];

static const char* format_output(const int8_t* output) {
  char* p = line;
  for (const char* s = "output:"; *s; ++s) *p++ = *s;
  for (int32_t i = 0; i < kOutputSize; ++i) {
    int32_t v = output[i];
    *p++ = ' ';
    if (v < 0) {
      *p++ = '-';
      v = -v;
    }
    char digits[4];
    int n = 0;
    do {
      digits[n++] = (char)('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) *p++ = digits[--n];
  }
  *p++ = '\n';
  *p = '\0';
  return line;
}

static int8_t output[kOutputSize];

#if defined(__ARM_ARCH)

#include "tinysim/semihosting.h"

/* SYS_GET_CMDLINE (0x15): fills a buffer with the command line; r0 = 0 on success. */
enum { kSysGetCmdline = 0x15 };

static uint32_t seed_from_command_line(void) {
  static char buffer[128];
  struct {
    char* buffer;
    uint32_t length;
  } block = {buffer, sizeof buffer};
  if (ts_semihost(kSysGetCmdline, &block) != 0) return 1;
  buffer[block.length < sizeof buffer ? block.length : sizeof buffer - 1] = '\0';
  return parse_seed(buffer, 1);
}

int main(void) {
  int8_t* const input = MODEL_(_input_buffer)();
  fill_input(input, seed_from_command_line());
  if (MODEL_(_invoke)(input, output) != 0) return 1;
  ts_puts(format_output(output));
  return 0;
}

#else /* host build: same code, seed from argv */

#include <stdio.h>

int main(int argc, char** argv) {
  const uint32_t seed = argc > 1 ? parse_seed(argv[argc - 1], 1) : 1;
  int8_t* const input = MODEL_(_input_buffer)();
  fill_input(input, seed);
  if (MODEL_(_invoke)(input, output) != 0) return 1;
  fputs(format_output(output), stdout);
  return 0;
}

#endif
