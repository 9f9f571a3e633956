/* Runs the kernels of memory_timing_kernels.S from flash under each flash-interface setting,
 * then from SRAM and TCM, each call between operator markers so tests/sim/memory_timing_test.cpp
 * can sum the cycles of the kernel's blocks per call. The marker value names the call:
 *   (section << 16) | (wait states << 12) | (setting << 8) | (kernel << 4) | warm
 * section 1: from flash, 2: copied to SRAM, 3: copied to TCM, 4: mt_load over 1 KiB of data
 * (kernel = where the data is: 0 the .bss buffer, DTCM on the STM32F7/H7; 1 RAM + 0x1000; 2 flash).
 * Each setting first empties the caches, then calls each kernel twice: cold (warm = 0) and warm
 * (warm = 1).
 *
 * Command line, one of:
 *   "f4 RAM"  STM32F4: FLASH_ACR LATENCY 0..7 x {all off, PRFTEN, ICEN, PRFTEN|ICEN}
 *   "l4 RAM"  STM32L4: the same on its FLASH_ACR
 *   "f1 RAM"  STM32F1: LATENCY 0..2 x {PRFTBE off, on}
 *   "m7 RAM TCM [-]"  Cortex-M7: SCB->CCR.IC/DC {off, on} at FLASH_ACR LATENCY 0..7 (STM32F7),
 *            or only at the board's own wait states with "-"; then SRAM, ITCM and the data loads.
 * RAM and TCM are hex addresses of free SRAM and ITCM for the copies. */
#include <stdint.h>
#include <string.h>

#include "cmdline.h"
#include "tinysim/markers.h"

#define FLASH_ACR (*(volatile uint32_t*)0x40023C00u)
#define ACR_PRFTEN (1u << 8)
#define ACR_ICEN (1u << 9)
#define ACR_DCEN (1u << 10)
#define ACR_ICRST (1u << 11)
#define ACR_DCRST (1u << 12)
#define SCB_CCR (*(volatile uint32_t*)0xE000ED14u)
#define CCR_DC (1u << 16)
#define CCR_IC (1u << 17)
#define SCB_ICIALLU (*(volatile uint32_t*)0xE000EF50u)
#define SCB_DCISW (*(volatile uint32_t*)0xE000EF60u)
#define SCB_DCCISW (*(volatile uint32_t*)0xE000EF74u)

extern const uint8_t mt_kernels_start[], mt_kernels_end[];
extern void mt_straight16(void);
extern void mt_straight32(void);
extern void mt_loop(void);
extern uint32_t mt_call(uint32_t function, uint32_t argument);

enum { kLoopIterations = 10, kLoadWords = 256 };

static uint32_t data_buffer[kLoadWords];

static uint32_t parse_hex(const char** s) {
  while (**s == ' ') ++*s;
  if ((*s)[0] == '0' && ((*s)[1] == 'x' || (*s)[1] == 'X')) *s += 2;
  uint32_t v = 0;
  for (;; ++*s) {
    const char c = **s;
    if (c >= '0' && c <= '9') {
      v = v * 16 + (uint32_t)(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v = v * 16 + (uint32_t)(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      v = v * 16 + (uint32_t)(c - 'A' + 10);
    } else {
      return v;
    }
  }
}

/* The three code kernels at `base` (the flash copy or a RAM/TCM copy), cold then warm. */
static void run_kernels(uint32_t base, uint32_t id) {
  const uint32_t offsets[3] = {0x040, 0x440, 0x840};
  const uint32_t arguments[3] = {0, 0, kLoopIterations};
  for (uint32_t k = 0; k < 3; ++k) {
    for (uint32_t warm = 0; warm < 2; ++warm) {
      const uint32_t marker = id | (k << 4) | warm;
      TINYSIM_OP_BEGIN(marker);
      mt_call((base + offsets[k]) | 1u, arguments[k]);
      TINYSIM_OP_END(marker);
    }
  }
}

static uint32_t copy_kernels(uint32_t address) {
  const uint32_t size = (uint32_t)(mt_kernels_end - mt_kernels_start);
  memcpy((void*)address, mt_kernels_start, size);
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  return address;
}

/* STM32F4 (FLASH_ACR at 0x40023C00) and STM32L4 (0x40022000): the same PRFTEN/ICEN/DCEN/ICRST/
 * DCRST bits (RM0383 3.8.1, RM0432 3.7.1). */
static void art(const char* args, volatile uint32_t* acr) {
  const uint32_t ram = parse_hex(&args);
  const uint32_t settings[4] = {0, ACR_PRFTEN, ACR_ICEN, ACR_PRFTEN | ACR_ICEN};
  for (uint32_t ws = 0; ws < 8; ++ws) {
    for (uint32_t s = 0; s < 4; ++s) {
      /* RM0383 3.8.1: the cache reset bits act only while the cache is disabled. */
      *acr = ws;
      *acr = ws | ACR_ICRST | ACR_DCRST;
      *acr = ws;
      *acr = ws | settings[s];
      run_kernels((uint32_t)mt_kernels_start, (1u << 16) | (ws << 12) | (s << 8));
    }
  }
  *acr = 0;
  run_kernels(copy_kernels(ram), 2u << 16);
}

/* STM32F1: FLASH_ACR at 0x40022000, LATENCY[2:0], PRFTBE bit 4 (RM0008 3.3.3, 3.3.4: switch
 * the prefetch buffer only while SYSCLK is below 24 MHz; the test runs at 16 MHz). */
#define F1_FLASH_ACR (*(volatile uint32_t*)0x40022000u)
#define F1_ACR_PRFTBE (1u << 4)

static void f1(const char* args) {
  const uint32_t ram = parse_hex(&args);
  for (uint32_t ws = 0; ws < 3; ++ws) {
    for (uint32_t s = 0; s < 2; ++s) {
      F1_FLASH_ACR = ws | (s ? F1_ACR_PRFTBE : 0);
      run_kernels((uint32_t)mt_kernels_start, (1u << 16) | (ws << 12) | (s << 8));
    }
  }
  F1_FLASH_ACR = F1_ACR_PRFTBE;
  run_kernels(copy_kernels(ram), 2u << 16);
}

static void set_l1(uint32_t on) {
  SCB_CCR &= ~(CCR_IC | CCR_DC);
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  SCB_ICIALLU = 0;
  /* The model's caches are small enough that a clean-and-invalidate of set 0..255, way 0..3
   * covers them (DDI0403E B3.2.2 set/way format for 32-byte lines: set << 5, way << 30). */
  for (uint32_t way = 0; way < 4; ++way) {
    for (uint32_t set = 0; set < 256; ++set) SCB_DCCISW = (way << 30) | (set << 5);
  }
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  if (on) SCB_CCR |= CCR_IC | CCR_DC;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
}

static void m7(const char* args) {
  const uint32_t ram = parse_hex(&args);
  const uint32_t tcm = parse_hex(&args);
  while (*args == ' ') ++args;
  const int sweep = *args != '-';
  for (uint32_t ws = 0; ws < (sweep ? 8u : 1u); ++ws) {
    for (uint32_t s = 0; s < 2; ++s) {
      if (sweep) FLASH_ACR = ws;
      set_l1(s);
      run_kernels((uint32_t)mt_kernels_start, (1u << 16) | (ws << 12) | (s << 8));
    }
  }
  copy_kernels(ram);
  copy_kernels(tcm);
  for (uint32_t s = 0; s < 2; ++s) {
    set_l1(s);
    run_kernels(ram, (2u << 16) | (s << 8));
    run_kernels(tcm, (3u << 16) | (s << 8));
  }
  /* Data: 256 sequential words from DTCM (.bss), SRAM and flash, caches off and on. */
  const uint32_t where[3] = {(uint32_t)data_buffer, ram + 0x1000u, (uint32_t)mt_kernels_start};
  for (uint32_t s = 0; s < 2; ++s) {
    set_l1(s);
    for (uint32_t d = 0; d < 3; ++d) {
      for (uint32_t warm = 0; warm < 2; ++warm) {
        const uint32_t marker = (4u << 16) | (s << 8) | (d << 4) | warm;
        TINYSIM_OP_BEGIN(marker);
        /* The TCM copy of mt_load (r0 = address, r1 = words): its fetch is free, so the
         * cycles are the core's and the data accesses'. */
        __asm__ volatile(
            "mov r0, %0\n\t"
            "mov r1, %1\n\t"
            "blx %2\n\t" ::"r"(where[d]),
            "r"((uint32_t)kLoadWords), "r"((tcm + 0xC40u) | 1u)
            : "r0", "r1", "r2", "lr", "cc", "memory");
        TINYSIM_OP_END(marker);
      }
    }
  }
}

int main(void) {
  const char* args = test_cmdline();
  if (args[0] == 'f' && args[1] == '4') art(args + 2, &FLASH_ACR);
  if (args[0] == 'l' && args[1] == '4') art(args + 2, (volatile uint32_t*)0x40022000u);
  if (args[0] == 'f' && args[1] == '1') f1(args + 2);
  if (args[0] == 'm' && args[1] == '7') m7(args + 2);
  return 0;
}
