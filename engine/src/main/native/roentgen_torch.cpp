// In-place libtorch activations that DJL 0.36 does not expose (relu_, relu6_), libtorch's
// thread-local autocast switches (at::autocast, what torch.autocast sets), the switch for
// libtorch's junk fill of fresh CPU allocations (tests use it to make reads of uninitialised
// memory fail every time), and the answer to oneMKL's vendor check on AMD CPUs.
//
// DJL hands a tensor to Java as the address of a heap-allocated at::Tensor. libtorch exports its
// operators as at::_ops::NAME::call(at::Tensor&), so this library needs no libtorch headers and
// does not link libtorch: it finds the libtorch_cpu.so that DJL already loaded and looks the two
// operators up by their mangled names. If either is missing (another libtorch), bind() says so and
// the Java side keeps DJL's out-of-place operators.
#include <jni.h>

#include <dlfcn.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <cstdint>
#include <cstring>
#include <exception>
#include <new>

namespace {

struct Tensor;  // at::Tensor, never dereferenced here
using InPlaceUnary = Tensor& (*)(Tensor&);

InPlaceUnary relu_ = nullptr;
InPlaceUnary relu6_ = nullptr;

// --- libtorch's autocast (at::autocast, thread-local state) --------------------------------------
// c10::DeviceType and c10::ScalarType are enums over int8_t, passed by value like an int8_t.
using DeviceType = int8_t;
using ScalarType = int8_t;
struct Autocast {
    bool (*is_enabled)(DeviceType);
    void (*set_enabled)(DeviceType, bool);
    ScalarType (*get_dtype)(DeviceType);
    void (*set_dtype)(DeviceType, ScalarType);
    bool (*is_cache_enabled)();
    void (*set_cache_enabled)(bool);
    int (*increment_nesting)();
    int (*decrement_nesting)();
    void (*clear_cache)();
};
Autocast autocast{};
bool autocast_bound = false;

// A tensor returned by value. at::Tensor has a non-trivial destructor, so the x86-64 ABI returns it
// through a hidden pointer to caller memory: a type with a user-provided destructor is returned
// the same way, and constructing it in place (placement new of the call) lets libtorch write the
// tensor straight into the heap slot that becomes DJL's handle (DJL deletes it as an at::Tensor).
struct ReturnedTensor {
    void* impl;  // at::Tensor's intrusive_ptr<TensorImpl>, owned
    ~ReturnedTensor() {}  // never run: the slot is handed to DJL, which destroys it as at::Tensor
};
// at::_ops::_autocast_to_full_precision::call(self, cuda_enabled, cpu_enabled): self.to(float) for
// a bf16/fp16 tensor on an enabled device, else self. Unlike DJL's toType (run under NoGradGuard),
// it is recorded by autograd, so a network's low-precision output can enter an fp32 loss.
using ToFullPrecision = ReturnedTensor (*)(const Tensor&, bool, bool);
ToFullPrecision to_full_precision = nullptr;

// --- MKL's vendor check -------------------------------------------------------------------------
// The oneMKL inside libtorch_cpu.so runs its AVX-512 sgemm kernels only where
// mkl_serv_intel_cpu_true() says the CPU is Intel; on AMD it takes slower paths (on Zen 5: 2x
// slower matrix products). The function is exported and libtorch_cpu.so calls it through its PLT,
// so pointing that PLT slot at a function returning 1 is what LD_PRELOAD of the same function does,
// for this process only. MKL still picks each kernel from the CPUID feature bits it reads itself.
int intel_cpu_true() { return 1; }

bool is_amd() {
#if defined(__x86_64__)
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) == 0) {
        return false;
    }
    char vendor[13];
    std::memcpy(vendor, &ebx, 4);
    std::memcpy(vendor + 4, &edx, 4);
    std::memcpy(vendor + 8, &ecx, 4);
    vendor[12] = '\0';
    return std::strcmp(vendor, "AuthenticAMD") == 0;
#else
    return false;
#endif
}

#if defined(__x86_64__)
// Addresses in a loaded library's dynamic section: glibc relocates them in place on x86-64; a
// value below the load address is still a file offset.
ElfW(Addr) absolute(ElfW(Addr) base, ElfW(Addr) pointer) {
    return pointer < base ? base + pointer : pointer;
}

// Points the library's PLT slot for symbol at replacement: 1 patched, 0 no such slot, -1 the
// slot could not be made writable.
int patch_plt_slot(const struct dl_phdr_info& library, const char* symbol, void* replacement) {
    const ElfW(Dyn)* dynamic = nullptr;
    for (int i = 0; i < library.dlpi_phnum; i++) {
        if (library.dlpi_phdr[i].p_type == PT_DYNAMIC) {
            dynamic = reinterpret_cast<const ElfW(Dyn)*>(library.dlpi_addr + library.dlpi_phdr[i].p_vaddr);
        }
    }
    if (dynamic == nullptr) {
        return 0;
    }
    ElfW(Addr) base = library.dlpi_addr;
    const ElfW(Rela)* relocations = nullptr;
    size_t relocation_bytes = 0;
    const ElfW(Sym)* symbols = nullptr;
    const char* names = nullptr;
    for (const ElfW(Dyn)* d = dynamic; d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
            case DT_JMPREL: relocations = reinterpret_cast<const ElfW(Rela)*>(absolute(base, d->d_un.d_ptr)); break;
            case DT_PLTRELSZ: relocation_bytes = d->d_un.d_val; break;
            case DT_SYMTAB: symbols = reinterpret_cast<const ElfW(Sym)*>(absolute(base, d->d_un.d_ptr)); break;
            case DT_STRTAB: names = reinterpret_cast<const char*>(absolute(base, d->d_un.d_ptr)); break;
            default: break;
        }
    }
    if (relocations == nullptr || symbols == nullptr || names == nullptr) {
        return 0;
    }
    for (size_t i = 0; i < relocation_bytes / sizeof(ElfW(Rela)); i++) {
        const ElfW(Rela)& r = relocations[i];
        if (ELF64_R_TYPE(r.r_info) != R_X86_64_JUMP_SLOT
                || std::strcmp(names + symbols[ELF64_R_SYM(r.r_info)].st_name, symbol) != 0) {
            continue;
        }
        auto* slot = reinterpret_cast<void**>(base + r.r_offset);
        uintptr_t page_size = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
        void* page = reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(slot) & ~(page_size - 1));
        // .got.plt is writable under lazy binding; made so here in case the library was linked
        // with -z now (then it sits in the read-only RELRO segment).
        if (mprotect(page, page_size, PROT_READ | PROT_WRITE) != 0) {
            return -1;
        }
        *slot = replacement;
        return 1;
    }
    return 0;
}
#endif

struct LibrarySearch {
    const char* suffix;          // "/libtorch_cpu.so"
    struct dl_phdr_info info;    // set when found: name, load address, program headers
    bool found;
};

int remember_library(struct dl_phdr_info* info, size_t, void* data) {
    auto* search = static_cast<LibrarySearch*>(data);
    const char* name = info->dlpi_name;
    if (name != nullptr && std::strstr(name, search->suffix) != nullptr) {
        search->info = *info;
        search->found = true;
        return 1;
    }
    return 0;
}

// The loaded library whose path ends in suffix (its fields stay valid while it is loaded).
bool find_loaded(const char* suffix, struct dl_phdr_info* info) {
    LibrarySearch search{suffix, {}, false};
    dl_iterate_phdr(remember_library, &search);
    *info = search.info;
    return search.found;
}

// A handle to a library DJL already loaded (RTLD_NOLOAD: never a second copy), or null.
void* loaded_library(const char* suffix) {
    struct dl_phdr_info info;
    return find_loaded(suffix, &info) ? dlopen(info.dlpi_name, RTLD_NOW | RTLD_NOLOAD) : nullptr;
}

void throw_java(JNIEnv* env, const char* message) {
    jclass type = env->FindClass("java/lang/IllegalStateException");
    if (type != nullptr) {
        env->ThrowNew(type, message);
    }
}

void apply(JNIEnv* env, InPlaceUnary op, jlong handle) {
    if (op == nullptr || handle == 0) {
        throw_java(env, "in-place operator not bound, or a closed tensor");
        return;
    }
    try {
        op(*reinterpret_cast<Tensor*>(handle));
    } catch (const std::exception& e) {  // c10::Error: must not cross into the JVM
        throw_java(env, e.what());
    } catch (...) {
        throw_java(env, "libtorch threw an unknown exception");
    }
}

template <typename F>
bool bind_symbol(void* library, const char* name, F* target) {
    *target = reinterpret_cast<F>(dlsym(library, name));
    return *target != nullptr;
}

}  // namespace

extern "C" {

// Fills every new CPU tensor allocation with NaN (c10's FLAGS_caffe2_cpu_allocator_do_junk_fill,
// a plain exported bool in libc10.so) while on; returns false where libc10 or the flag is missing.
JNIEXPORT jboolean JNICALL Java_io_roentgen_engine_torch_NativeLibrary_setJunkFill(JNIEnv*, jclass, jboolean on) {
    void* library = loaded_library("/libc10.so");
    if (library == nullptr) {
        return JNI_FALSE;
    }
    bool* flag = static_cast<bool*>(dlsym(library, "FLAGS_caffe2_cpu_allocator_do_junk_fill"));
    if (flag == nullptr) {
        return JNI_FALSE;
    }
    *flag = on == JNI_TRUE;
    return JNI_TRUE;
}

// Lets the oneMKL in libtorch_cpu.so use its Intel kernels on an AMD CPU (see intel_cpu_true).
// Must run before the first MKL call of the process, which caches its choice. Returns 1 when
// patched, 0 on a CPU that is not AMD or where the library or its slot is missing, -1 on failure.
JNIEXPORT jint JNICALL Java_io_roentgen_engine_torch_NativeLibrary_useMklIntelKernels(JNIEnv*, jclass) {
#if defined(__x86_64__)
    if (!is_amd()) {
        return 0;
    }
    struct dl_phdr_info torch;
    if (!find_loaded("/libtorch_cpu.so", &torch)) {
        return 0;
    }
    return patch_plt_slot(torch, "mkl_serv_intel_cpu_true", reinterpret_cast<void*>(&intel_cpu_true));
#else
    return 0;
#endif
}

JNIEXPORT jboolean JNICALL Java_io_roentgen_engine_torch_InPlaceOps_bind(JNIEnv*, jclass) {
    void* library = loaded_library("/libtorch_cpu.so");
    if (library == nullptr) {
        return JNI_FALSE;
    }
    relu_ = reinterpret_cast<InPlaceUnary>(dlsym(library, "_ZN2at4_ops5relu_4callERNS_6TensorE"));
    relu6_ = reinterpret_cast<InPlaceUnary>(dlsym(library, "_ZN2at4_ops6relu6_4callERNS_6TensorE"));
    return relu_ != nullptr && relu6_ != nullptr ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT void JNICALL Java_io_roentgen_engine_torch_InPlaceOps_reluInPlace(JNIEnv* env, jclass, jlong handle) {
    apply(env, relu_, handle);
}

JNIEXPORT void JNICALL Java_io_roentgen_engine_torch_InPlaceOps_relu6InPlace(JNIEnv* env, jclass, jlong handle) {
    apply(env, relu6_, handle);
}

// Binds at::autocast's thread-local switches; false where the loaded libtorch lacks one of them.
JNIEXPORT jboolean JNICALL Java_io_roentgen_engine_torch_Autocast_bind(JNIEnv*, jclass) {
    void* library = loaded_library("/libtorch_cpu.so");
    if (library == nullptr) {
        return JNI_FALSE;
    }
    Autocast a{};
    bool all = bind_symbol(library, "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE", &a.is_enabled)
        && bind_symbol(library, "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb", &a.set_enabled)
        && bind_symbol(library, "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE", &a.get_dtype)
        && bind_symbol(library, "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE", &a.set_dtype)
        && bind_symbol(library, "_ZN2at8autocast25is_autocast_cache_enabledEv", &a.is_cache_enabled)
        && bind_symbol(library, "_ZN2at8autocast26set_autocast_cache_enabledEb", &a.set_cache_enabled)
        && bind_symbol(library, "_ZN2at8autocast17increment_nestingEv", &a.increment_nesting)
        && bind_symbol(library, "_ZN2at8autocast17decrement_nestingEv", &a.decrement_nesting)
        && bind_symbol(library, "_ZN2at8autocast11clear_cacheEv", &a.clear_cache)
        && bind_symbol(library, "_ZN2at4_ops27_autocast_to_full_precision4callERKNS_6TensorEbb", &to_full_precision);
    if (!all) {
        return JNI_FALSE;
    }
    autocast = a;
    autocast_bound = true;
    return JNI_TRUE;
}

// torch.autocast.__enter__ for this thread: returns the state to restore, packed as
// enabled | previous dtype << 8 | cache enabled << 16.
JNIEXPORT jint JNICALL Java_io_roentgen_engine_torch_Autocast_enter(JNIEnv* env, jclass, jint device, jint dtype) {
    if (!autocast_bound) {
        throw_java(env, "autocast not bound");
        return 0;
    }
    auto d = static_cast<DeviceType>(device);
    jint previous = (autocast.is_enabled(d) ? 1 : 0)
        | (static_cast<jint>(static_cast<uint8_t>(autocast.get_dtype(d))) << 8)
        | ((autocast.is_cache_enabled() ? 1 : 0) << 16);
    autocast.set_enabled(d, true);
    autocast.set_dtype(d, static_cast<ScalarType>(dtype));
    autocast.increment_nesting();
    autocast.set_cache_enabled(true);
    return previous;
}

// torch.autocast.__exit__: the outermost scope drops the cast copies of weights it cached.
JNIEXPORT void JNICALL Java_io_roentgen_engine_torch_Autocast_exit(JNIEnv* env, jclass, jint device, jint previous) {
    if (!autocast_bound) {
        throw_java(env, "autocast not bound");
        return;
    }
    auto d = static_cast<DeviceType>(device);
    if (autocast.decrement_nesting() == 0) {
        autocast.clear_cache();
    }
    autocast.set_enabled(d, (previous & 1) != 0);
    autocast.set_dtype(d, static_cast<ScalarType>((previous >> 8) & 0xff));
    autocast.set_cache_enabled(((previous >> 16) & 1) != 0);
}

// A new handle to handle's tensor in fp32 (the same tensor where it is fp32 already), differentiably.
// Errors from libtorch come back as IllegalStateException: a C++ exception must not reach the JVM.
JNIEXPORT jlong JNICALL Java_io_roentgen_engine_torch_Autocast_toFullPrecision(JNIEnv* env, jclass, jlong handle) {
    if (to_full_precision == nullptr || handle == 0) {
        throw_java(env, "autocast not bound, or a closed tensor");
        return 0;
    }
    void* slot = ::operator new(sizeof(ReturnedTensor));
    try {
        new (slot) ReturnedTensor(to_full_precision(*reinterpret_cast<Tensor*>(handle), true, true));
        return reinterpret_cast<jlong>(slot);
    } catch (const std::exception& e) {
        ::operator delete(slot);
        throw_java(env, e.what());
    } catch (...) {
        ::operator delete(slot);
        throw_java(env, "libtorch threw an unknown exception");
    }
    return 0;
}

JNIEXPORT jboolean JNICALL Java_io_roentgen_engine_torch_Autocast_enabled(JNIEnv*, jclass, jint device) {
    return autocast_bound && autocast.is_enabled(static_cast<DeviceType>(device)) ? JNI_TRUE : JNI_FALSE;
}

}  // extern "C"
