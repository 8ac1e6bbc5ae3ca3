// Does a Dispatch worker make an 8-piece job faster on this machine? (docs/performance.md, issue 10)
//
// Runs 300 jobs of 8 pieces of fixed arithmetic (about 65 µs each) through dispatch_apply_f, as
// Parallel.forRanges does through concurrentPerform, and reports separately the jobs the calling
// thread ran alone and the jobs a worker took pieces of: how many, how long, and how long the
// caller waited after its own last piece.
//
//   clang -O1 -fblocks -I/opt/swift/usr/lib/swift benchmarks/dispatch_apply_probe.c -o /tmp/probe \
//     -L/opt/swift/usr/lib/swift/linux -ldispatch -lBlocksRuntime -Wl,-rpath,/opt/swift/usr/lib/swift/linux
//   /tmp/probe
#include <dispatch/dispatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static pthread_t caller;
static atomic_int worker_pieces;
static double caller_last_end;
static volatile double sink;

static void piece(void *ctx, size_t i) {
    (void)ctx; (void)i;
    double s = 0;
    for (long k = 0; k < 100000; k++) s += (double)k * 1e-9;   // fixed work, not a wall-clock wait
    sink = s;
    if (pthread_equal(pthread_self(), caller)) caller_last_end = now();
    else atomic_fetch_add(&worker_pieces, 1);
}

int main(void) {
    caller = pthread_self();
    double t = now();
    for (int r = 0; r < 8; r++) piece(NULL, 0);
    printf("8 pieces on the calling thread: %.0f us\n", (now() - t) * 1e6);
    int alone = 0, helped = 0, helper_pieces = 0;
    double alone_time = 0, helped_time = 0, wait = 0;
    for (int j = 0; j < 300; j++) {
        atomic_store(&worker_pieces, 0);
        double t0 = now();
        dispatch_apply_f(8, dispatch_get_global_queue(0, 0), NULL, piece);
        double t1 = now();
        int w = atomic_load(&worker_pieces);
        if (w == 0) { alone++; alone_time += t1 - t0; wait += t1 - caller_last_end; }
        else { helped++; helped_time += t1 - t0; helper_pieces += w; }
    }
    printf("caller alone: %d jobs, mean %.0f us, mean wait after its last piece %.1f us\n", alone,
           alone ? alone_time / alone * 1e6 : 0, alone ? wait / alone * 1e6 : 0);
    printf("worker helped: %d jobs, mean %.0f us, %.1f of 8 pieces by workers\n", helped,
           helped ? helped_time / helped * 1e6 : 0, helped ? (double)helper_pieces / helped : 0);
    return 0;
}
