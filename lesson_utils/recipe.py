"""The default training recipe's numbers: both backends train with them.

Measured in benchmarks/README.md: batches of 128, Adam warmed up to a peak of 0.007
and decayed along a cosine (``lesson_utils.schedules``), 10% of the training images
held out to check the model as it trains. The number of epochs depends on quick mode,
so it lives with that switch: 2 on a full-size data set and 5 on the small bundled
sample (``settings.default_epochs``). Introduced in notebook 5,
"The whole CNN".
"""

from __future__ import annotations

DEFAULT_BATCH_SIZE = 128
DEFAULT_SCHEDULE = "warmup_cosine"
# Adam at a peak of 0.007, which the schedule warms up to and decays from. beta_2 0.99
# instead of Keras's 0.999 makes Adam's per-weight step sizes follow the gradients over
# ~100 steps instead of ~1,000, which suits a run of a few hundred steps.
DEFAULT_LEARNING_RATE = 0.007
ADAM_BETA_2 = 0.99
# BatchNormalization's momentum in the lesson's CNN (build_cnn_model(batch_norm=True)):
# 0.9 instead of Keras's 0.99. The moving mean and variance it predicts with forget their
# start (0 and 1) as momentum ** steps: after the ~100-150 steps of a run on the bundled
# sample, 0.99 ** 150 = 0.22 of the start is left and the CNN predicted 10% right on both
# backends (97% in training mode); 0.9 ** 150 is nothing.
BATCH_NORM_MOMENTUM = 0.9
# The fraction of the training images (the last ones) held out for validation.
VALIDATION_SPLIT = 0.1
