"""Audio pipeline: file loading and resampling, log-mel features, augmentation, synthesis."""
