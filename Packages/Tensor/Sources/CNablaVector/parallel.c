// A small persistent thread pool for Parallel.forRanges; see include/CNablaVector.h.
//
// libdispatch's concurrentPerform on Linux woke its second worker for only about 20% of 8-piece
// jobs of 0.8 ms on this 2-core machine under load (the caller ran every piece itself), so the same
// op ran on one or two cores from call to call. Workers parked on a condition variable took part
// in about 75% of the same jobs, but under load a parked worker often woke after the caller had
// taken every piece of a 0.8 ms op. So, like OpenMP runtimes, a worker that finishes a job spins
// for up to 100 µs watching for the next one before it parks: back-to-back ops find it awake.
// The caller always takes pieces too, so a late worker costs nothing.
#include "CNablaVector.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t pool_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;    // workers wait here for a new job
static pthread_cond_t idle_cv = PTHREAD_COND_INITIALIZER;    // the caller waits here for workers to leave
static pthread_mutex_t job_mutex = PTHREAD_MUTEX_INITIALIZER; // one job at a time; others run inline
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static int pool_workers;

// The current job (written under pool_mutex while no worker is inside a job).
static atomic_ulong job_generation;   // changed under pool_mutex; read without it while spinning
static void (*job_fn)(void *, long);
static void *job_ctx;
static long job_pieces;
static atomic_long job_next;
static atomic_long job_done;
static int job_active;   // workers inside the job (under pool_mutex)

static void run_pieces(void (*fn)(void *, long), void *ctx, long pieces) {
    long p;
    while ((p = atomic_fetch_add_explicit(&job_next, 1, memory_order_relaxed)) < pieces) {
        fn(ctx, p);
        atomic_fetch_add_explicit(&job_done, 1, memory_order_release);
    }
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/// Spins up to `limit` seconds for a job newer than `seen`; returns whether one came.
static int spin_for_job(unsigned long seen, double limit) {
    double start = seconds();
    for (;;) {
        for (int i = 0; i < 256; i++) {
            if (atomic_load_explicit(&job_generation, memory_order_relaxed) != seen) return 1;
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
        if (seconds() - start > limit) return 0;
    }
}

static void *worker_main(void *arg) {
    (void)arg;
    unsigned long seen = 0;
    pthread_mutex_lock(&pool_mutex);
    for (;;) {
        if (atomic_load_explicit(&job_generation, memory_order_relaxed) == seen) {
            pthread_mutex_unlock(&pool_mutex);
            spin_for_job(seen, 100e-6);
            pthread_mutex_lock(&pool_mutex);
        }
        while (atomic_load_explicit(&job_generation, memory_order_relaxed) == seen) pthread_cond_wait(&work_cv, &pool_mutex);
        seen = atomic_load_explicit(&job_generation, memory_order_relaxed);
        void (*fn)(void *, long) = job_fn;
        void *ctx = job_ctx;
        long pieces = job_pieces;
        job_active++;
        pthread_mutex_unlock(&pool_mutex);
        run_pieces(fn, ctx, pieces);
        pthread_mutex_lock(&pool_mutex);
        if (--job_active == 0) pthread_cond_signal(&idle_cv);
    }
    return NULL;
}

static int requested_workers = -1;

static void start_pool(void) {
    int n = requested_workers;
    for (int i = 0; i < n; i++) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, worker_main, NULL) == 0) pool_workers++;
        pthread_attr_destroy(&attr);
    }
}

void nabla_parallel_for(long pieces, int threads, void (*fn)(void *ctx, long piece), void *ctx) {
    if (pieces <= 0) return;
    if (threads <= 1 || pieces == 1 || pthread_mutex_trylock(&job_mutex) != 0) {
        // One thread, one piece, or another job (possibly the one this call is nested in) is
        // running: run every piece here.
        for (long p = 0; p < pieces; p++) fn(ctx, p);
        return;
    }
    if (requested_workers < 0) requested_workers = threads - 1;   // under job_mutex
    pthread_once(&pool_once, start_pool);
    pthread_mutex_lock(&pool_mutex);
    while (job_active > 0) pthread_cond_wait(&idle_cv, &pool_mutex);   // a late worker of the last job
    job_fn = fn;
    job_ctx = ctx;
    job_pieces = pieces;
    atomic_store_explicit(&job_next, 0, memory_order_relaxed);
    atomic_store_explicit(&job_done, 0, memory_order_relaxed);
    atomic_fetch_add_explicit(&job_generation, 1, memory_order_release);
    pthread_cond_broadcast(&work_cv);
    pthread_mutex_unlock(&pool_mutex);

    run_pieces(fn, ctx, pieces);
    // Every piece has been taken; wait until the ones taken by workers are finished and the
    // workers have left the job (so `ctx` may go out of scope).
    pthread_mutex_lock(&pool_mutex);
    while (atomic_load_explicit(&job_done, memory_order_acquire) < pieces || job_active > 0) {
        if (job_active > 0) pthread_cond_wait(&idle_cv, &pool_mutex);
        else { pthread_mutex_unlock(&pool_mutex); pthread_mutex_lock(&pool_mutex); }
    }
    pthread_mutex_unlock(&pool_mutex);
    pthread_mutex_unlock(&job_mutex);
}
