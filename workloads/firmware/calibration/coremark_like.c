/* Calibration workload for the energy model (docs/power-models.md): a mix in the spirit of the
 * workloads datasheets measure run currents with (EEMBC CoreMark: list walking, small matrix
 * multiply-accumulate, a state machine over text, CRC), written for tinysim (no CoreMark code).
 * The same kernel is compiled twice: once into flash (.text) and once into SRAM (a .data
 * section, copied there by the start-up code), so the calibration reproduces a datasheet's
 * "code from flash" and "code from RAM" columns.
 *
 * Command line: "flash N" or "sram N" runs N iterations from that memory; "idle N" runs N
 * iterations of a branch-to-self style loop (the datasheets' "while(1)") from flash,
 * "idle-sram N" from SRAM. STM32F4 only (they write FLASH_ACR at 0x40023C00, RM0383 3.8.1 /
 * RM0090 3.9.1: PRFTEN bit 8, ICEN bit 9, DCEN bit 10; the latency bits are kept): "flash-art N"
 * runs the flash kernel with the ART accelerator on and prefetch off (DS10314 Table 23),
 * "flash-art-off N" with ART and prefetch off (Table 24), "flash-art-prefetch N" with both on
 * (Table 25). Prints a checksum. The calibration (tests/power_models/
 * calibration_run_test.cpp) simulates two iteration counts and uses the difference of the event
 * counts: the start-up code cancels out. */
#include <stdint.h>
#include <stdio.h>

#include "cmdline.h"

#define FLASH_ACR (*(volatile uint32_t*)0x40023C00u)
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9)
#define FLASH_ACR_DCEN (1u << 10)

#define LIST_NODES 32
#define MATRIX_N 8
#define TEXT_BYTES 64

struct node {
  struct node* next;
  int16_t value;
  int16_t index;
};

static struct node nodes[LIST_NODES];
static int16_t mat_a[MATRIX_N * MATRIX_N], mat_b[MATRIX_N * MATRIX_N];
static int32_t mat_c[MATRIX_N * MATRIX_N];
static char text[TEXT_BYTES];

/* The kernel: every helper is forced inline so the SRAM copy calls nothing in flash. */
#define KERNEL_BODY                                                                          \
  uint32_t crc = seed;                                                                       \
  for (uint32_t it = 0; it < iterations; ++it) {                                             \
    /* List: walk, sum and reverse-find. */                                                  \
    int32_t list_sum = 0;                                                                    \
    for (const struct node* n = head; n; n = n->next) list_sum += n->value ^ n->index;       \
    /* Matrix: int16 multiply-accumulate into int32. */                                      \
    for (int i = 0; i < MATRIX_N; ++i) {                                                     \
      for (int j = 0; j < MATRIX_N; ++j) {                                                   \
        int32_t acc = 0;                                                                     \
        for (int k = 0; k < MATRIX_N; ++k) acc += a[i * MATRIX_N + k] * b[k * MATRIX_N + j]; \
        c[i * MATRIX_N + j] = acc + (int32_t)it;                                             \
      }                                                                                      \
    }                                                                                        \
    /* State machine: classify the text into numbers, words and others. */                   \
    uint32_t state = 0, numbers = 0, words = 0;                                              \
    for (int i = 0; i < TEXT_BYTES; ++i) {                                                   \
      const char ch = t[i];                                                                  \
      const uint32_t digit = (uint32_t)(ch - '0') < 10u;                                     \
      const uint32_t alpha = (uint32_t)((ch | 32) - 'a') < 26u;                              \
      switch (state) {                                                                       \
        case 0:                                                                              \
          state = digit ? 1 : (alpha ? 2 : 0);                                               \
          break;                                                                             \
        case 1:                                                                              \
          if (!digit) ++numbers, state = alpha ? 2 : 0;                                      \
          break;                                                                             \
        default:                                                                             \
          if (!alpha) ++words, state = digit ? 1 : 0;                                        \
          break;                                                                             \
      }                                                                                      \
    }                                                                                        \
    /* CRC-16/CCITT over the results, bit by bit. */                                         \
    const uint32_t words_in[4] = {(uint32_t)list_sum, (uint32_t)c[(it * 7u) % 64u], numbers, \
                                  words};                                                    \
    for (int w = 0; w < 4; ++w) {                                                            \
      crc ^= (words_in[w] & 0xFFFFu) << 8;                                                   \
      for (int bit = 0; bit < 8; ++bit)                                                      \
        crc = (crc & 0x8000u) ? ((crc << 1) ^ 0x1021u) & 0xFFFFu : (crc << 1) & 0xFFFFu;     \
    }                                                                                        \
  }                                                                                          \
  return crc;

typedef uint32_t (*kernel_fn)(uint32_t, uint32_t, const struct node*, const int16_t*,
                              const int16_t*, int32_t*, const char*);

__attribute__((noinline)) static uint32_t kernel_flash(uint32_t iterations, uint32_t seed,
                                                       const struct node* head, const int16_t* a,
                                                       const int16_t* b, int32_t* c,
                                                       const char* t) {
  KERNEL_BODY
}

__attribute__((noinline, section(".data.ramfunc"))) static uint32_t kernel_sram(
    uint32_t iterations, uint32_t seed, const struct node* head, const int16_t* a, const int16_t* b,
    int32_t* c, const char* t) {
  KERNEL_BODY
}

/* "while(1)"-like: a tight counted loop (a datasheet's idle loop never ends; this one must). The
 * empty asm keeps the compiler from folding the loop away: it compiles to SUBS + BNE (SUBS,
 * CMP, BNE on ARMv6-M). */
#define IDLE_BODY                   \
  uint32_t n = iterations * 64u;    \
  while (n) {                       \
    --n;                            \
    __asm__ volatile("" : "+l"(n)); \
  }                                 \
  return n + seed;

__attribute__((noinline)) static uint32_t idle_flash(uint32_t iterations, uint32_t seed,
                                                     const struct node* head, const int16_t* a,
                                                     const int16_t* b, int32_t* c, const char* t) {
  (void)head, (void)a, (void)b, (void)c, (void)t;
  IDLE_BODY
}

__attribute__((noinline, section(".data.ramfunc"))) static uint32_t idle_sram(
    uint32_t iterations, uint32_t seed, const struct node* head, const int16_t* a, const int16_t* b,
    int32_t* c, const char* t) {
  (void)head, (void)a, (void)b, (void)c, (void)t;
  IDLE_BODY
}

int main(void) {
  const char* cmd = test_cmdline();
  char mode[32] = {0};
  int m = 0;
  while (*cmd && *cmd != ' ' && m < 31) mode[m++] = *cmd++;
  while (*cmd == ' ') ++cmd;
  const int arg = test_atoi(cmd);
  const uint32_t iterations = arg > 0 ? (uint32_t)arg : 10;

  for (int i = 0; i < LIST_NODES; ++i) {
    nodes[i].next = i + 1 < LIST_NODES ? &nodes[i + 1] : 0;
    nodes[i].value = (int16_t)(i * 37 - 500);
    nodes[i].index = (int16_t)i;
  }
  for (int i = 0; i < MATRIX_N * MATRIX_N; ++i) {
    mat_a[i] = (int16_t)((i * 13) % 29 - 14);
    mat_b[i] = (int16_t)((i * 7) % 23 - 11);
  }
  static const char sample[] = "CoreMark-like 2026: 18 boards, 4 models; energy 12uJ per op. ";
  for (int i = 0; i < TEXT_BYTES; ++i) text[i] = sample[i % (sizeof sample - 1)];

  /* Called through a volatile pointer: flash and SRAM are further apart than a BL reaches. */
  volatile kernel_fn fn = kernel_flash;
  if (test_streq(mode, "sram")) fn = kernel_sram;
  if (test_streq(mode, "idle")) fn = idle_flash;
  if (test_streq(mode, "idle-sram")) fn = idle_sram;
  const uint32_t acr_keep = ~(FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN);
  if (test_streq(mode, "flash-art"))
    FLASH_ACR = (FLASH_ACR & acr_keep) | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
  if (test_streq(mode, "flash-art-off")) FLASH_ACR = FLASH_ACR & acr_keep;
  if (test_streq(mode, "flash-art-prefetch"))
    FLASH_ACR = FLASH_ACR | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
  const uint32_t crc = fn(iterations, 0xFFFFu, &nodes[0], mat_a, mat_b, mat_c, text);
  printf("calibration %s %lu %08lx\n", mode, (unsigned long)iterations, (unsigned long)crc);
  return 0;
}
