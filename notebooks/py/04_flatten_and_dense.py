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
# # 4. Flatten and Dense
#
# The convolutions turn a digit into a stack of small feature maps: *where* each
# pattern is. To decide *which digit* it is, the CNN lays those maps out as one long
# vector (**Flatten**), mixes every number with every other (**Dense**), and turns the
# final ten scores into probabilities (**softmax**).
#
# **After this notebook you can**
# - flatten feature maps into a vector and say how long it is,
# - compute a Dense layer as a matrix product, and check `Dense` against it,
# - turn scores into probabilities with softmax.

# %% tags=["remove-cell"]
# In the browser (JupyterLite) this installs the lesson's package; elsewhere it does nothing.
import sys

if sys.platform == "emscripten":
    import piplite

    await piplite.install("lesson-utils")  # noqa: F704

# %%
import numpy as np

import lesson_utils as lu
from lesson_utils import numpy_layers

print(lu.describe())

# %% [markdown]
# ## Flatten: from feature maps to one vector
#
# In the lesson's CNN the last convolution gives 64 feature maps of 3x3 for each image.
# We make a stand-in block of that shape, numbered so we can see where each value goes.

# %% tags=["nbval-check-output"]
maps = np.arange(3 * 3 * 64, dtype=np.float32).reshape(1, 3, 3, 64)
vector = numpy_layers.flatten(maps)
print(maps.shape, "->", vector.shape)
print("first values:", vector[0, :5], "...")

# %% [markdown]
# Flatten reads the block row by row, and within each pixel all 64 channels: first the
# 64 values of pixel (0, 0), then those of pixel (0, 1), and so on. Nothing is computed
# and nothing is learned; it is only a new shape, `3 * 3 * 64 = 576` numbers. Keras's
# `Flatten` reads in the same order:

# %%
layers = lu.keras_layers()
library_vector = np.asarray(layers.Flatten()(maps))

# %% tags=["nbval-check-output"]
print("same order as ours:", np.array_equal(library_vector, vector))

# %% [markdown]
# ## Dense: every input talks to every unit
#
# A Dense layer with 64 units has a weight for each (input, unit) pair, a 576x64
# matrix, and one bias per unit. Its output is a matrix product:
# `outputs = inputs @ weights + bias`. We use small random weights to see it work.

# %% tags=["nbval-check-output"]
rng = np.random.default_rng(0)
weights = rng.normal(0, 0.05, size=(576, 64)).astype(np.float32)
bias = np.full(64, 0.1, dtype=np.float32)
inputs = rng.random((2, 576), dtype=np.float32)  # two images' flattened features
outputs = inputs @ weights + bias
print("inputs", inputs.shape, "@ weights", weights.shape, "+ bias", bias.shape,
      "->", outputs.shape)
print("parameters:", weights.size + bias.size)

# %% [markdown]
# One output by hand, to see there is no magic: unit 0 of image 0 is the sum of every
# input times its weight to unit 0, plus unit 0's bias.

# %% tags=["nbval-check-output"]
one_output = np.sum(inputs[0] * weights[:, 0]) + bias[0]
print("by hand:", round(float(one_output), 4), "| from the product:",
      round(float(outputs[0, 0]), 4))

# %% [markdown]
# Keras's `Dense` with the same weights gives the same outputs:

# %%
dense = layers.Dense(64)
dense.build((None, 576))
dense.set_weights([weights, bias])
library_outputs = np.asarray(dense(inputs))

# %% tags=["nbval-check-output"]
print("same as ours:", np.allclose(library_outputs, outputs, atol=1e-5))

# %% [markdown]
# ## Why convolutions, in numbers
#
# Dense layers can do everything a convolution does, so why not use them from the
# first pixel on? Because of the cost. The first convolution of the lesson's CNN turns
# 784 pixels into 26x26x32 = 21,632 numbers. A Dense layer giving that many outputs
# needs a weight for every (pixel, output) pair; the convolution reuses one 3x3 kernel
# per filter at every position.

# %% tags=["nbval-check-output"]
pixels = 28 * 28
outputs_wanted = 26 * 26 * 32
dense_parameters = pixels * outputs_wanted + outputs_wanted
conv_parameters = 3 * 3 * 1 * 32 + 32
print(f"Dense, 784 -> 21,632 outputs: {dense_parameters:,} parameters")
print(f"Conv2D(32, 3x3), same outputs: {conv_parameters:,} parameters")
print(f"the Dense layer needs {dense_parameters // conv_parameters:,} times as many")

# %% [markdown]
# About 17 million against 320. Sharing the kernel is also what makes a convolution
# find a stroke *wherever* it is: the same 9 weights look at every position. A Dense
# unit has its own weight for each pixel, so a stroke one pixel to the left meets
# other weights. Notebook 5 trains a Dense-only network of about the CNN's size and
# measures what this costs when the digits move.
#
# ## Softmax: from scores to probabilities
#
# The last Dense layer has 10 units, one score per digit. Softmax turns scores into
# probabilities: `exp(score)` makes every score positive, and dividing by the sum makes
# them add up to 1. The largest score gets the largest probability.

# %% tags=["nbval-check-output"]
scores = np.array([[1.0, 0.5, 4.0, 0.0, -1.0, 0.0, 2.0, 0.0, 1.0, 0.0]], dtype=np.float32)
probabilities = numpy_layers.softmax(scores)
print("probabilities:", np.round(probabilities[0], 3))
print("sum:", round(float(probabilities.sum()), 4), "| predicted digit:",
      int(probabilities.argmax()))

# %% [markdown]
# Written straight from its formula, `exp(score) / sum(exp(scores))`, softmax breaks on
# extreme scores, and a network's scores can be extreme. See which rows fail, and why:

# %% tags=["nbval-check-output"]
extreme = np.array([[1000.0, 1000.0, 0.0], [-1000.0, -1000.0, -1001.0]])
with np.errstate(all="ignore"):  # let the failure show as NaN instead of a warning
    exps = np.exp(extreme)
    print("exp(scores):", exps.tolist())
    print("softmax straight from the formula:", (exps / exps.sum(axis=-1, keepdims=True)).tolist())
print("numpy_layers.softmax:", np.round(numpy_layers.softmax(extreme), 3).tolist())

# %% [markdown]
# `exp(1000)` overflows to infinity, and infinity / infinity is NaN (not a number); for
# scores near -1000 every `exp()` underflows to 0, and 0 / 0 is NaN too. The lesson's
# `numpy_layers.softmax` gives the right answer for both rows (equal scores share the
# probability). Exercise 2 asks you to write a softmax that does the same.

# %% [markdown]
# In training, the loss measures how much probability went to the right digit:
# **cross-entropy** is `-log(probability of the true class)`, 0 when the network is
# sure and right, large when it is sure and wrong.

# %% tags=["nbval-check-output"]
for true_digit in (2, 6, 4):
    loss = numpy_layers.sparse_categorical_crossentropy(probabilities, np.array([true_digit]))
    print(f"if the digit were {true_digit}: probability "
          f"{probabilities[0, true_digit]:.3f}, loss {loss:.3f}")

# %% [markdown]
# ## Summary
#
# - Flatten lays a (3, 3, 64) block out as 576 numbers; it has no parameters.
# - Dense is `inputs @ weights + bias`: 576 x 64 + 64 = 36,928 parameters here.
# - A Dense layer with the first convolution's 21,632 outputs would need about 17
#   million parameters; the convolution needs 320, because it shares one small kernel
#   across all positions.
# - Softmax turns 10 scores into 10 probabilities that add up to 1; written straight
#   from its formula it gives NaN for extreme scores. Cross-entropy scores the
#   probabilities against the true label.

# %% [markdown]
# ## Exercises

# %%
from lesson_utils.checks import nb4 as check

# %% [markdown]
# ### Exercise 1: the length after Flatten
#
# Feature maps of shape `(5, 5, 64)` go into `Flatten`. How many numbers come out for
# one image?

# %% tags=["nbval-check-output"]
answer = ...
check.q1.check(answer)

# %% [markdown]
# ### Exercise 2: softmax in NumPy
#
# Write `my_softmax(scores)` for scores shaped `(n, classes)`, returning probabilities
# of the same shape, without calling `numpy_layers.softmax`. It must also work for very
# large scores such as 1000 and very negative ones such as -1000.

# %% tags=["nbval-check-output"]
def my_softmax(scores):
    return ...  # your code here


check.q2.check(my_softmax)


# %% [markdown]
# ### Exercise 3: predict, then run
#
# Take the ten `scores` of the softmax section and add 5 to every one of them. Before
# you run anything, predict what happens to the ten probabilities:
#
# - `"same"`: every probability stays as it was,
# - `"all grow"`: every probability grows,
# - `"sharper"`: the largest probability grows and the others shrink,
# - `"evener"`: the probabilities move closer together.
#
# Then run the cell: the check computes softmax of the scores and of the scores + 5, and
# shows both.

# %% tags=["nbval-check-output"]
answer = ...  # one of "same", "all grow", "sharper", "evener"
check.q3.check(answer)

# %% [markdown]
# Next: [5. The whole CNN](05_the_whole_cnn.ipynb), where all the pieces are trained together.
