"""Offline speech synthesis with espeak-ng through ctypes (the PyPI wheel ``espeakng-loader``).

``espeakng-loader`` ships ``libespeak-ng`` (GPL-3.0+, version 1.52 in 0.2.4) and its voice data;
it has no Python API of its own, so this module binds the few C calls needed:
``espeak_Initialize`` (synchronous output), ``espeak_SetSynthCallback``, ``espeak_SetVoiceByName``,
``espeak_SetParameter`` (rate, pitch) and ``espeak_Synth``. The library holds global state, so
calls are serialised by a lock; audio is 16-bit mono at the library's rate (22,050 Hz).
"""

from __future__ import annotations

import ctypes
import threading

import numpy as np

from mmbench.errors import MmbenchError

PINNED_VERSION = "0.2.4"  # audio differs between espeak-ng versions: keep this in sync with the pin
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INIT_DONT_EXIT = 0x8000
_RATE, _PITCH = 1, 3
_CHARS_UTF8 = 1
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Espeak:
    """The loaded library, initialised once per process."""

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError as exc:
            raise MmbenchError(
                "espeak-ng synthesis needs the 'espeakng-loader' package "
                f"(pip install espeakng-loader=={PINNED_VERSION})"
            ) from exc
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_Initialize.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        data = espeakng_loader.get_data_path().encode()
        rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, _INIT_DONT_EXIT)
        if rate <= 0:
            raise MmbenchError(f"espeak-ng failed to initialise (data path {data.decode()})")
        self.sample_rate = int(rate)
        self.chunks: list[np.ndarray] = []
        self._cb = _CALLBACK(self._collect)  # kept alive: the library holds the pointer
        self.lib.espeak_SetSynthCallback(self._cb)
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip

    def _collect(self, wav, n, events) -> int:
        if n > 0 and wav:
            self.chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        return 0  # 0 = continue synthesis


_LOCK = threading.Lock()
_ENGINE: _Espeak | None = None


def synthesize(
    text: str, voice: str = "en", rate: int = 175, pitch: int = 50
) -> tuple[np.ndarray, int]:
    """Speak ``text``: returns (waveform float32 (N,) in [-1, 1], sample rate in Hz).

    ``voice`` an espeak-ng voice name (``en``, ``en-us``, ``en-us+f3``, ``en+klatt4`` …);
    ``rate`` words per minute (80–450); ``pitch`` 0–100 (50 = the voice's normal pitch).
    """
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            _ENGINE = _Espeak()
        eng = _ENGINE
        if eng.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise MmbenchError(f"espeak-ng: unknown voice '{voice}' (e.g. en, en-us, en-us+f3)")
        eng.lib.espeak_SetParameter(_RATE, int(rate), 0)
        eng.lib.espeak_SetParameter(_PITCH, int(pitch), 0)
        eng.chunks = []
        data = text.encode("utf-8") + b"\0"
        status = eng.lib.espeak_Synth(data, len(data), 0, 0, 0, _CHARS_UTF8, None, None)
        eng.lib.espeak_Synchronize()
        if status != 0:
            raise MmbenchError(f"espeak-ng: synthesis of {text!r} failed (status {status})")
        pcm = np.concatenate(eng.chunks) if eng.chunks else np.zeros(0, np.int16)
    return pcm.astype(np.float32) / 32768.0, eng.sample_rate
