// A small persistent thread pool for Parallel.forRanges; see include/CNablaVector.h.
//
// libdispatch's concurrentPerform on Linux woke its second worker for only about 20% of 8-piece
// jobs of 0.8 ms on this 2-core machine under load (the caller ran every piece itself), so the same
// op ran on one or two cores from call to call. Like OpenMP runtimes, a worker that finishes a job
// spins for up to 100 µs watching for the next one before it parks on a condition variable:
// back-to-back ops find it awake. The caller always takes pieces too, so a late worker costs nothing.
//
// Which thread runs which piece matters for memory-bound ops (docs/performance.md, "Two cores for
// x*x+x"): on the 2-vCPU AMD EPYC guest, `y = x*x; y += x` on 4M Floats ran at 14–15 G/s when each
// thread always took the same half of the arrays, 10.6–12.7 G/s when pieces went to whichever thread
// asked first (C microbenchmark). So each participant owns a contiguous run of pieces (participant
// k of T: pieces [k·P/T, (k+1)·P/T)), takes them from the front, and only when its own run is
// empty takes pieces from the back of the others' runs. Thread k thus touches the same addresses
// op after op, and a worker that is late or descheduled still delays the op by one piece at most.
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE   // sched_getcpu, CPU_SET, pthread_setaffinity_np
#endif
#include "CNablaVector.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <sched.h>

#define MAX_PARTICIPANTS 64

static pthread_mutex_t pool_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;    // workers park here for a new job
static pthread_cond_t idle_cv = PTHREAD_COND_INITIALIZER;    // the caller parks here for workers to leave
static pthread_mutex_t job_mutex = PTHREAD_MUTEX_INITIALIZER; // one job at a time; others run inline
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static int pool_workers;
static int requested_workers = -1;

// The current job. Written by the caller while no worker is inside a job (job_active == 0), then
// published by incrementing job_generation (release); workers read them after acquiring it.
static atomic_ulong job_generation;
static void (*job_fn)(void *, long);
static void *job_ctx;
static int job_participants;
// Participant k's remaining pieces [lo, hi), packed as lo | hi << 32 so that the owner (taking lo)
// and thieves (taking hi − 1) claim with one compare-and-swap. Own cache lines: they are contended.
static struct { _Alignas(64) atomic_uint_fast64_t range; } job_ranges[MAX_PARTICIPANTS];
static atomic_long job_pending;  // pieces not yet finished
static atomic_int job_active;    // workers inside the job
static atomic_int caller_parked; // the caller sleeps on idle_cv (under pool_mutex)
static atomic_int job_caller_cpu = -1; // the CPU the caller published the job from (-1: unknown)

// Moves the calling worker off the caller's CPU when it finds itself on it. Linux may place a woken
// worker on its waker's CPU, and a worker that spins there (it yields, but stays runnable) was seen
// to keep whole short processes on one core: 4 of 8 quiet TensorBench processes ran tanh and
// x*x+x at one core's speed (5.7 / 3.7-4.5 G/s) against none of 8 with this (9.3-10.6 / 6.9-8.0),
// alternating, 23:42 UTC, load 1.4. The worker's allowed set becomes the pool's CPUs (the starting
// thread's affinity) minus the caller's, only when they share one, so a user's own affinity is
// respected. Taking the caller's CPU out of the worker's current set instead left the worker where
// it was once the caller had moved onto the one CPU the worker was left with (the set would be
// empty): traced in 3 of 12 TensorBench processes on 2026-11-28 (the worker moved twice), and one
// of five `run_tensor_bench.sh` runs had x*x+x at one core's speed (4.8 G/s).
#if defined(__linux__)
/// The CPUs the pool may use: the starting thread's affinity when the pool started.
static cpu_set_t pool_cpus;
static int pool_cpus_known;
#endif

static void leave_callers_cpu(void) {
#if defined(__linux__)
    int caller = atomic_load_explicit(&job_caller_cpu, memory_order_relaxed);
    if (caller < 0 || sched_getcpu() != caller) return;
    // Every CPU of the pool's but the caller's: not just the worker's current set minus the caller's
    // CPU, which is empty when the caller has moved to the one CPU the worker was left on.
    cpu_set_t set;
    if (pool_cpus_known) set = pool_cpus;
    else if (sched_getaffinity(0, sizeof set, &set) != 0) return;
    CPU_CLR(caller, &set);
    if (CPU_COUNT(&set) == 0) return;
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
#endif
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

/// Claims one piece of participant `k`'s run: its first (`front`) or its last. -1 when it is empty.
static long claim(int k, int front) {
    uint_fast64_t r = atomic_load_explicit(&job_ranges[k].range, memory_order_relaxed);
    for (;;) {
        uint_fast64_t lo = r & 0xFFFFFFFFu, hi = r >> 32;
        if (lo >= hi) return -1;
        uint_fast64_t next = front ? ((lo + 1) | (hi << 32)) : (lo | ((hi - 1) << 32));
        if (atomic_compare_exchange_weak_explicit(&job_ranges[k].range, &r, next, memory_order_relaxed,
                                                  memory_order_relaxed))
            return front ? (long)lo : (long)(hi - 1);
    }
}

/// Runs participant `me`'s own pieces from the front, then the others' from the back.
static void run_pieces(int me, int participants, void (*fn)(void *, long), void *ctx) {
    long p;
    while ((p = claim(me, 1)) >= 0) {
        fn(ctx, p);
        atomic_fetch_sub_explicit(&job_pending, 1, memory_order_release);
    }
    for (int d = 1; d < participants; d++) {
        int k = (me + d) % participants;
        while ((p = claim(k, 0)) >= 0) {
            fn(ctx, p);
            atomic_fetch_sub_explicit(&job_pending, 1, memory_order_release);
        }
    }
}

/// Spins up to `limit` seconds until `*pending` is 0 and, if `active` is given, `*active` too;
/// returns whether they got there.
static int spin_until_zero(atomic_long *pending, atomic_int *active, double limit) {
    double start = 0;
    for (;;) {
        for (int i = 0; i < 256; i++) {
            if (atomic_load_explicit(pending, memory_order_acquire) == 0 &&
                (!active || atomic_load_explicit(active, memory_order_seq_cst) == 0))
                return 1;
            cpu_relax();
        }
        double t = seconds();
        if (start == 0) start = t;
        else if (t - start > limit) return 0;
    }
}

/// Spins up to `limit` seconds for a job newer than `seen`; returns whether one came. Yields the
/// CPU between rounds of 256 pauses (a few µs): with OpenBLAS's threads starting a GEMM right after
/// an elementwise op, a worker that only paused kept one of them off its core for up to 100 µs,
/// and the 784-512-512-10 training step took 1.8–2.1 s per 300 steps instead of 1.6–1.8 (load 3–5).
static int spin_for_job(unsigned long seen, double limit) {
    double start = seconds();
    for (;;) {
        for (int i = 0; i < 256; i++) {
            if (atomic_load_explicit(&job_generation, memory_order_relaxed) != seen) return 1;
            cpu_relax();
        }
        if (seconds() - start > limit) return 0;
        sched_yield();   // lets a thread that wants this CPU (OpenBLAS's, another process's) run
    }
}

static void *worker_main(void *arg) {
    int me = (int)(intptr_t)arg;   // participant index: the caller is 0
    unsigned long seen = 0;
    for (;;) {
        if (!spin_for_job(seen, 100e-6)) {
            pthread_mutex_lock(&pool_mutex);
            while (atomic_load_explicit(&job_generation, memory_order_relaxed) == seen)
                pthread_cond_wait(&work_cv, &pool_mutex);
            pthread_mutex_unlock(&pool_mutex);
        }
        // An odd generation is a job being closed and rewritten: wait for it to be published.
        unsigned long g = atomic_load_explicit(&job_generation, memory_order_acquire);
        seen = g;
        if (g & 1) continue;
        // Enter the job, then check that it is still the one seen: the caller closes a job (odd
        // generation) and then waits for job_active == 0 before it rewrites it, and both sides use
        // sequentially consistent operations, so either the caller sees this worker inside or the
        // worker sees the change. A job entered after its last piece was claimed finds every run
        // empty and touches nothing but the runs.
        leave_callers_cpu();
        atomic_fetch_add_explicit(&job_active, 1, memory_order_seq_cst);
        if (atomic_load_explicit(&job_generation, memory_order_seq_cst) == g && me < job_participants)
            run_pieces(me, job_participants, job_fn, job_ctx);
        atomic_fetch_sub_explicit(&job_active, 1, memory_order_seq_cst);
        if (atomic_load_explicit(&caller_parked, memory_order_seq_cst)) {
            pthread_mutex_lock(&pool_mutex);
            pthread_cond_signal(&idle_cv);
            pthread_mutex_unlock(&pool_mutex);
        }
    }
    return NULL;
}

static void start_pool(void) {
#if defined(__linux__)
    pool_cpus_known = sched_getaffinity(0, sizeof pool_cpus, &pool_cpus) == 0;
#endif
    int n = requested_workers;
    if (n > MAX_PARTICIPANTS - 1) n = MAX_PARTICIPANTS - 1;
    for (int i = 0; i < n; i++) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, worker_main, (void *)(intptr_t)(pool_workers + 1)) == 0) pool_workers++;
        pthread_attr_destroy(&attr);
    }
}

/// Waits (spinning up to 200 µs, then parked) until every piece is done and, if `workers_too`, no
/// worker is inside the job any more.
static void wait_idle(int workers_too) {
    if (spin_until_zero(&job_pending, workers_too ? &job_active : NULL, 200e-6)) return;
    pthread_mutex_lock(&pool_mutex);
    atomic_store_explicit(&caller_parked, 1, memory_order_seq_cst);
    while (atomic_load_explicit(&job_pending, memory_order_acquire) != 0 ||
           (workers_too && atomic_load_explicit(&job_active, memory_order_seq_cst) != 0)) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 1000000;   // re-check every millisecond: a worker may leave without the lock
        if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
        pthread_cond_timedwait(&idle_cv, &pool_mutex, &until);
    }
    atomic_store_explicit(&caller_parked, 0, memory_order_seq_cst);
    pthread_mutex_unlock(&pool_mutex);
}

void nabla_parallel_for(long pieces, int threads, void (*fn)(void *ctx, long piece), void *ctx) {
    if (pieces <= 0) return;
    if (threads <= 1 || pieces == 1 || pieces > 0xFFFFFFFFL || pthread_mutex_trylock(&job_mutex) != 0) {
        // One thread, one piece, or another job (possibly the one this call is nested in) is
        // running: run every piece here.
        for (long p = 0; p < pieces; p++) fn(ctx, p);
        return;
    }
    if (requested_workers < 0) requested_workers = threads - 1;   // under job_mutex
    pthread_once(&pool_once, start_pool);

    // Close the previous job (odd generation: workers arriving now back out), wait for its late
    // workers to leave, write this one, and publish it (even generation).
    unsigned long g = atomic_load_explicit(&job_generation, memory_order_relaxed);
    atomic_store_explicit(&job_generation, g + 1, memory_order_seq_cst);
    wait_idle(1);
    int participants = pool_workers + 1;
    if (participants > threads) participants = threads;
    if (participants > pieces) participants = (int)pieces;
    job_fn = fn;
    job_ctx = ctx;
    job_participants = participants;
    for (int k = 0; k < participants; k++) {
        uint_fast64_t lo = (uint_fast64_t)(pieces * k / participants), hi = (uint_fast64_t)(pieces * (k + 1) / participants);
        atomic_store_explicit(&job_ranges[k].range, lo | (hi << 32), memory_order_relaxed);
    }
    atomic_store_explicit(&job_pending, pieces, memory_order_relaxed);
#if defined(__linux__)
    atomic_store_explicit(&job_caller_cpu, sched_getcpu(), memory_order_relaxed);
#endif
    atomic_store_explicit(&job_generation, g + 2, memory_order_seq_cst);
    pthread_mutex_lock(&pool_mutex);   // wakes parked workers (spinning ones have seen it already)
    pthread_cond_broadcast(&work_cv);
    pthread_mutex_unlock(&pool_mutex);

    run_pieces(0, participants, fn, ctx);
    // Every piece has been claimed; wait until the ones claimed by workers are finished. Then no
    // thread calls `fn` or reads `ctx` again, so they may go out of scope: a worker still inside
    // the job can only find its runs empty, and the next job waits for it to leave before it
    // rewrites them.
    wait_idle(0);
    pthread_mutex_unlock(&job_mutex);
}
