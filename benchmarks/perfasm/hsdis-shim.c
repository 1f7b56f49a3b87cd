/*
 * Lets JDK 25's -XX:+PrintAssembly (and JMH's -prof perfasm) use Debian's libhsdis0-fcml, which
 * exports only the old decode_instructions entry point. HotSpot now looks up
 * decode_instructions_virtual; this forwards to the old one, whose start and end are the very
 * addresses of the code being printed. Not part of the build; see docs/benchmarks.md.
 *
 *   gcc -shared -fPIC -O2 -o /tmp/hsdis/hsdis-amd64.so benchmarks/perfasm/hsdis-shim.c -ldl
 *   LD_LIBRARY_PATH=/tmp/hsdis java -jar benchmarks/target/benchmarks.jar ... -prof 'perfasm:events=cpu-clock'
 */
#include <dlfcn.h>
#include <stdint.h>

typedef void *(*decode_instructions_t)(void *start, void *end, void *event_callback, void *event_stream,
                                       void *printf_callback, void *printf_stream, const char *options);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  void *event_callback, void *event_stream, void *printf_callback,
                                  void *printf_stream, const char *options, int newline) {
    static decode_instructions_t old;
    (void) buffer;
    (void) length;
    (void) newline;
    if (old == 0) {
        void *lib = dlopen("/usr/lib/x86_64-linux-gnu/libhsdis.so.0", RTLD_NOW);
        if (lib == 0) {
            return 0;
        }
        old = (decode_instructions_t) dlsym(lib, "decode_instructions");
        if (old == 0) {
            return 0;
        }
    }
    return old((void *) start_va, (void *) end_va, event_callback, event_stream, printf_callback, printf_stream,
               options);
}
