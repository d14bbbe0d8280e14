# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py//py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1. Images as arrays
#
# A convolutional neural network never sees a "7": it sees a grid of numbers.
# This notebook looks at those numbers.
#
# **After this notebook you can**
# - load MNIST and say where the images came from,
# - read one digit as a 28x28 grid of pixel values,
# - scale pixels to [0, 1] and add the channel axis that `Conv2D` expects.

# %% tags=["remove-cell"]
# In the browser (JupyterLite) this installs the lesson's package; elsewhere it does nothing.
import sys

if sys.platform == "emscripten":
    import piplite

    await piplite.install("lesson-utils")  # noqa: F704

# %% [markdown]
# Every notebook of the lesson starts the same way: NumPy for arrays, matplotlib for
# pictures, and `lesson_utils`, the lesson's own helpers. The last line says which
# backend runs the lesson: TensorFlow (Keras), or NumPy where TensorFlow is missing.

# %%
import numpy as np

import lesson_utils as lu

print(lu.describe())

# %% [markdown]
# ## Load the digits
#
# `load_mnist` finds MNIST wherever it can: a local copy, Keras's download, or the
# sample of 5,000 real digits that ships with the lesson. It says which one it used.
# We ask for the raw pixels first (`preprocess=False`), to see them as they are stored.

# %%
raw = lu.load_mnist(preprocess=False)
print("training images:", raw.x_train.shape, raw.x_train.dtype)
print("training labels:", raw.y_train.shape, raw.y_train.dtype)
print("test images:    ", raw.x_test.shape)

# %% [markdown]
# Where these digits come from: **MNIST** (Yann LeCun, Corinna Cortes and Christopher
# Burges, 1998) is 70,000 handwritten digits, 60,000 for training and 10,000 for testing,
# written by employees of the US Census Bureau and by American high-school students,
# collected by NIST and centred in a 28x28 box. Where no full copy can be found or
# downloaded, the lesson uses the 5,000 real MNIST digits it ships with (4,000 for
# training, 1,000 for testing, 500 of each digit); the first line above says which one
# this run used.
#
# Each image is a 28x28 array of bytes (0-255), and each label is the digit it shows.
# Look at the first twenty before reading any numbers:

# %% alt="Twenty handwritten digits in four rows of five, ink dark on white, each titled with its label"
lu.plot_digits(raw.x_train, raw.y_train, n=20, columns=5);

# %% [markdown]
# *The first twenty training digits, each titled with its label.* The strokes vary in
# thickness, slant and size: the network has to recognise each digit however it is
# written.

# %% [markdown]
# ## One digit, up close
#
# To see what the network sees, zoom in on the first digit and write each pixel's value
# in its square. One convention holds for the whole lesson: **ink** is where the pen
# wrote, large values drawn dark; **background** is the empty paper, value 0, drawn white.
# (After scaling, below, ink is near 1 and background is 0.)

# %% alt="The first digit, a 9, as a grid of squares from white to black, each inked square labelled with its value from 1 to 255; rows 5 to 26 and columns 6 to 21 are shown"
digit = raw.x_train[0]
lu.plot_pixel_grid(digit, title=f"label {raw.y_train[0]}: pixel values", crop=True);

# %% [markdown]
# *The digit's pixel values, cropped to its ink and a one-pixel border (every pixel
# outside is background, 0).* The row and column numbers let you find any pixel: row 14
# crosses the bottom of the loop, with ink in columns 9-11 and 15-18 and, between them,
# background and two faint pixels (3 and 2). These numbers are the network's whole input.

# %% [markdown]
# The same grid in numbers shows how little of it is ink: most of an MNIST image is
# background.

# %% tags=["nbval-check-output"]
print("shape:", digit.shape, "| smallest:", digit.min(), "| largest:", digit.max())
print("pixels:", digit.size, "| of which background (0):", int(np.sum(digit == 0)))

# %% [markdown]
# ## Scale the pixels to [0, 1]
#
# Networks learn best from small numbers of similar size. Dividing by 255 maps
# 0-255 onto 0.0-1.0 without changing the picture. We convert to `float32` first,
# the precision Keras computes in.

# %% tags=["nbval-check-output"]
scaled = digit.astype(np.float32) / 255.0
print(scaled.dtype, scaled.min(), scaled.max())
print("row 14, columns 10-17:", np.round(scaled[14, 10:18], 2))

# %% [markdown]
# ## The channel axis
#
# `Conv2D` works on images with **channels**: a colour photo has three (red, green,
# blue), a grey digit has one. It expects a batch shaped
# `(images, height, width, channels)`, so we add an axis of length 1 at the end.
# `[..., np.newaxis]` means "keep every axis, then add one".

# %% tags=["nbval-check-output"]
batch = raw.x_train[:32].astype(np.float32) / 255.0
print("without channels:", batch.shape)
batch = batch[..., np.newaxis]
print("with channels:   ", batch.shape)

# %% [markdown]
# `lesson_utils` does both steps for you, and `load_mnist()` does them by default.
# Check that its result is the same as ours:

# %% tags=["nbval-check-output"]
prepared = lu.preprocess_images(raw.x_train[:32])
print(prepared.shape, prepared.dtype, "same as ours:", np.array_equal(prepared, batch))

# %% [markdown]
# ## Summary
#
# - MNIST is 70,000 handwritten digits collected by NIST; the lesson ships 5,000 of them.
# - An MNIST image is a 28x28 grid of bytes, 0 (background) to 255 (ink), with its digit as label.
# - We scale pixels to [0, 1] as `float32`: background 0, full ink 1.
# - `Conv2D` wants batches shaped `(n, height, width, channels)`; grey digits have 1 channel.

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell for your answer and a check that tells you whether it is
# right. Replace the `...` with your answer and run the cell. Stuck? `check.q1.hint()`
# gives a hint and `check.q1.solution()` shows a solution.

# %%
from lesson_utils.checks import nb1 as check

# %% [markdown]
# ### Exercise 1: the shape of a batch of colour photos
#
# A batch of 100 colour photos, each 64x64 pixels with red, green and blue values, is
# ready for `Conv2D`. What is its shape? Write it as a tuple.

# %% tags=["nbval-check-output"]
answer = ...  # for example (1, 2, 3)
check.q1.check(answer)

# %% [markdown]
# ### Exercise 2: prepare images for the network
#
# Write a function `normalise(images)` that takes uint8 images shaped `(n, 28, 28)`
# and returns them as `float32` in [0, 1] shaped `(n, 28, 28, 1)`. Pass the function
# itself to the check.

# %% tags=["nbval-check-output"]
def normalise(images):
    return ...  # your code here


check.q2.check(normalise)


# %% [markdown]
# ### Exercise 3: read the pixel grid
#
# Go back to the figure of the digit up close. What is the pixel at **row 16, column
# 11** once it is scaled to [0, 1] as above? Read its value in the figure, scale it, and
# give the result as a number (two decimals are enough). The check reads your `digit`.

# %% tags=["nbval-check-output"]
answer = ...  # a number between 0 and 1
check.q3.check(answer, digit)

# %% [markdown]
# Next: [2. Convolution](02_convolution.ipynb), the operation that gives CNNs their name.
