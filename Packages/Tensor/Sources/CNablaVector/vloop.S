// Loops that call one SLEEF AVX2 or AVX-512 function per vector.
//
// SLEEF's `Sleef_<f>f8_u10avx2` and `Sleef_<f>f16_u10avx512f` take and return their vector in
// ymm0/zmm0. C code compiled without -mavx (a SwiftPM manifest cannot pass -m flags without
// unsafeFlags) passes 256- and 512-bit vectors in memory instead, even inside a function with
// `__attribute__((target("avx2")))`, so the calls are made here.
//
//   void nabla_vloop_ymm(const void *fn, const void *x, void *y, long nvec)   // 32 bytes per vector
//   void nabla_vloop_zmm(const void *fn, const void *x, void *y, long nvec)   // 64 bytes per vector
//
// Each vector is loaded before its result is stored, so y == x is allowed. The callers check that
// the CPU has AVX2+FMA or AVX-512F first.
#if defined(__x86_64__) && defined(__linux__)
    .text

.macro VLOOP name, reg, bytes
    .globl \name
    .hidden \name
    .type \name, @function
    .p2align 4
\name:
    .cfi_startproc
    push %rbp
    .cfi_def_cfa_offset 16
    .cfi_offset %rbp, -16
    mov %rsp, %rbp
    .cfi_def_cfa_register %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    .cfi_offset %rbx, -24
    .cfi_offset %r12, -32
    .cfi_offset %r13, -40
    .cfi_offset %r14, -48
    mov %rdi, %rbx
    mov %rsi, %r12
    mov %rdx, %r13
    mov %rcx, %r14
    test %r14, %r14
    jle 2f
1:
    vmovups (%r12), \reg
    call *%rbx
    vmovups \reg, (%r13)
    add $\bytes, %r12
    add $\bytes, %r13
    dec %r14
    jnz 1b
2:
    vzeroupper
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    .cfi_def_cfa %rsp, 8
    ret
    .cfi_endproc
    .size \name, .-\name
.endm

    VLOOP nabla_vloop_ymm, %ymm0, 32
    VLOOP nabla_vloop_zmm, %zmm0, 64
#endif

#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",@progbits
#endif
