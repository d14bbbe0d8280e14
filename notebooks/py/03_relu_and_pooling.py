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
# # 3. ReLU and max pooling
#
# Between its convolutions the lesson's CNN applies two simple operations. **ReLU**
# follows every convolution: it keeps the positive responses and sets the negative ones
# to zero. **Max pooling** follows the first two convolutions (the third has none): it
# keeps the strongest response in each 2x2 block, halving the feature map's height and
# width.
#
# **After this notebook you can**
# - say why a CNN needs ReLU, and how a filter's bias sets what gets through it,
# - max-pool a grid by hand, and check `MaxPooling2D` against it,
# - measure how much pooling tolerates a shifted digit,
# - follow how the spatial size shrinks through the network, and how much of the digit
#   one unit of each layer sees.

# %% tags=["remove-cell"]
# In the browser (JupyterLite) this installs the lesson's package and the widgets'; elsewhere
# it does nothing.
import sys

if sys.platform == "emscripten":
    import piplite

    await piplite.install(["lesson-utils", "ipywidgets", "anywidget"])  # noqa: F704

# %%
import numpy as np

import lesson_utils as lu
from lesson_utils import numpy_layers

print(lu.describe())

# %% [markdown]
# We start from notebook 2's vertical-edge feature map of the same test digit, with its
# positive (left edges of strokes) and negative (right edges) responses.

# %%
data = lu.load_mnist()
images = data.x_test[:1]  # (1, 28, 28, 1)
vertical_edge = np.array([[-1, 0, 1]] * 3, dtype=np.float32)
feature_map = numpy_layers.conv2d(images, vertical_edge[:, :, None, None])
print("feature map:", feature_map.shape)

# %% [markdown]
# ## ReLU: what makes stacked layers more than one
#
# `relu(x) = max(0, x)`. Its main job is to make the network **non-linear**. A
# convolution is a linear operation: multiply and add. Two convolutions in a row, with
# nothing between them, are still multiply-and-add: exactly one larger convolution, so a
# stack of them could never do more than one layer. The next cell builds that single 5x5 kernel from
# two 3x3 ones and checks it, then puts ReLU between the two.

# %% tags=["nbval-check-output"]
def conv(x, kernel):  # convolve with one 2-D kernel, given to conv2d as (kh, kw, 1, 1)
    return numpy_layers.conv2d(x, kernel[:, :, None, None])


first, second = vertical_edge, vertical_edge.T  # two 3x3 kernels, one after the other
combined = np.zeros((5, 5), dtype=np.float32)  # the one 5x5 kernel they amount to
for i in range(3):
    for j in range(3):
        combined[i : i + 3, j : j + 3] += second[i, j] * first
twice = conv(conv(images, first), second)
once = conv(images, combined)
with_relu = conv(numpy_layers.relu(conv(images, first)), second)
print("two 3x3 convolutions == one 5x5 convolution:", np.allclose(twice, once, atol=1e-5))
print("with ReLU between them, still that 5x5 convolution:",
      np.allclose(with_relu, once, atol=1e-5))

# %% [markdown]
# That `False` rules out one kernel, the one built above. Could another 5x5 kernel do
# it? Least squares finds the 5x5 kernel, plus a bias, whose map comes closest to a
# target over all 576 windows of the digit; the next cell measures how far that closest
# map still is from the target, as a share of the target's size.

# %% tags=["nbval-check-output"]
# Each 5x5 window of the digit as a row of 25 pixels, and a 1 for the bias: (576, 26).
windows = np.lib.stride_tricks.sliding_window_view(images[0, :, :, 0], (5, 5)).reshape(-1, 25)
windows = np.hstack([windows, np.ones((len(windows), 1), dtype=np.float32)])
for name, target in (("without ReLU", twice), ("with ReLU", with_relu)):
    closest, *_ = np.linalg.lstsq(windows, target.ravel(), rcond=None)  # 25 weights, 1 bias
    miss = np.linalg.norm(windows @ closest - target.ravel()) / np.linalg.norm(target)
    print(f"{name:12s}: the closest 5x5 convolution misses by {miss:.0%}")

# %% [markdown]
# With ReLU between them, the result is no longer that 5x5 convolution, nor any other:
# the closest one misses by 57%, where without ReLU it misses by 0%. No multiplying and
# adding can undo ReLU's bend at 0. That is what lets the lesson's three convolutions
# build strokes into loops and digits, where one could only find patterns.
#
# ReLU's second effect is what it does to a feature map: a negative response means "the
# opposite of my pattern is here", and ReLU sets it to zero, so the next layer only hears
# where the pattern *is*.

# %% tags=["nbval-check-output"]
activated = numpy_layers.relu(feature_map)
print("before ReLU: min", round(float(feature_map.min()), 3), "max",
      round(float(feature_map.max()), 3))
print("after ReLU:  min", round(float(activated.min()), 3), "max",
      round(float(activated.max()), 3))
print("negative values set to 0:", int(np.sum(feature_map < 0)), "of", feature_map.size)

# %% alt="The vertical-edge map of the digit 9 before ReLU, red on the left edges of strokes and blue on their right edges, and after ReLU, where the blue is gone and the red is unchanged, on one shared blue-white-red scale"
lu.plot_maps([feature_map, activated], ["feature map", "after ReLU"],
             title="ReLU sets the negative responses (blue) to 0");

# %% [markdown]
# *On one shared scale, white at 0: ReLU removes every blue (negative) value, the right
# edges of the strokes, and leaves the red (positive) left edges exactly as they were.*
#
# ## The bias decides what gets through
#
# A `Conv2D` layer adds one bias per filter to its map before ReLU, and that makes the
# bias a threshold: `relu(map + b)` is non-zero only where the map is above `-b`. A bias
# of -1 lets through only responses above 1: the clearest edges. The next cell counts
# what survives three biases.

# %% tags=["nbval-check-output"]
for bias in (0.0, -1.0, -2.0):
    passed = numpy_layers.relu(feature_map + bias)
    print(f"bias {bias:+.0f}: {int(np.sum(passed > 0)):3d} of {passed.size} values pass ReLU")

# %% alt="The vertical-edge map after ReLU with biases 0, -1 and -2, on one shared white-to-red scale: fewer and fewer red pixels survive as the bias falls, only the strongest left edges at -2"
lu.plot_maps([numpy_layers.relu(feature_map + bias) for bias in (0.0, -1.0, -2.0)],
             ["bias 0", "bias -1", "bias -2"], title="relu(feature map + bias)");

# %% [markdown]
# *With bias 0 every positive response passes (120 values); with -1, 58; with -2 only the
# 16 strongest, along the clearest left edges, each lowered by 2.* A network learns each
# filter's bias along with its kernel, and so learns how sure a filter must be before it
# speaks.
#
# ## Max pooling by hand
#
# Pooling is simple enough to do by reading: 2x2 max pooling with stride 2 cuts the map
# into 2x2 blocks and keeps each block's largest value. On a small grid:

# %% tags=["nbval-check-output"]
grid = np.array([[1, 5, 0, 2],
                 [3, 2, 4, 1],
                 [0, 1, 2, 8],
                 [9, 0, 3, 1]], dtype=np.float32)
by_hand = np.array([[max(1, 5, 3, 2), max(0, 2, 4, 1)],
                    [max(0, 1, 9, 0), max(2, 8, 3, 1)]], dtype=np.float32)
print(by_hand)

# %% [markdown]
# The same with NumPy slicing: `grid[0::2, 0::2]` takes the top-left pixel of every
# block, `grid[0::2, 1::2]` the top-right, and so on. The largest of the four is the
# block's maximum. (`numpy_layers.max_pool2d` works this way for any window and stride.)

# %% tags=["nbval-check-output"]
corners = [grid[0::2, 0::2], grid[0::2, 1::2], grid[1::2, 0::2], grid[1::2, 1::2]]
pooled = np.maximum.reduce(corners)
print(pooled)
print("same as by hand:", np.array_equal(pooled, by_hand))

# %% [markdown]
# ## `MaxPooling2D` agrees
#
# Keras's layer (or its NumPy stand-in in the browser) should give the same 2x2 result on
# the same grid, shaped as a batch of one single-channel image:

# %%
layers = lu.keras_layers()
pool = layers.MaxPooling2D(pool_size=(2, 2))
library_pooled = np.asarray(pool(grid[None, :, :, None]))[0, :, :, 0]

# %% tags=["nbval-check-output"]
print(library_pooled)
print("same as by hand:", np.array_equal(library_pooled, by_hand))

# %% [markdown]
# On the real feature map, pooling turns the 26x26 map after ReLU into 13x13:

# %% tags=["nbval-check-output"]
pooled_map = numpy_layers.max_pool2d(activated)
print(activated.shape, "->", pooled_map.shape)

# %% alt="The vertical-edge map after ReLU at 26x26 and after 2x2 max pooling at 13x13, on one shared white-to-red scale: the same left edges of the 9, coarser"
lu.plot_maps([activated, pooled_map], ["after ReLU, 26x26", "after max pooling, 13x13"]);

# %% [markdown]
# *On one shared scale: the pooled map keeps the strongest value of each 2x2 block, so the
# same left edges survive at the same strength, drawn with pixels twice as large.*
#
# ## How much does pooling tolerate a shift?
#
# A digit written one pixel further right is the same digit; we would like the maps to
# say so. The next cell shifts our digit one pixel right and compares the maps of the two
# digits, position by position, before and after pooling, with two numbers: the
# **cosine similarity** (1 when two maps are the same pattern, 0 when they share nothing)
# and the share of the non-zero pooled values that stay exactly the same.

# %% tags=["nbval-check-output"]
def relu_map(batch):
    return numpy_layers.relu(numpy_layers.conv2d(batch, vertical_edge[:, :, None, None]))


shifted = lu.measure.shift(images, right=1)
before, before_shifted = relu_map(images), relu_map(shifted)
after, after_shifted = numpy_layers.max_pool2d(before), numpy_layers.max_pool2d(before_shifted)
print("cosine similarity, digit vs shifted digit:")
print(f"  after ReLU, before pooling: {lu.cosine_similarity(before, before_shifted):.2f}")
print(f"  after pooling:              {lu.cosine_similarity(after, after_shifted):.2f}")
inked = (after > 0) | (after_shifted > 0)
unchanged = np.isclose(after, after_shifted)[inked].mean()
print(f"non-zero pooled values left unchanged by the shift: {unchanged:.0%}")

# %% [markdown]
# *So pooling helps, but it does not make the network blind to shifts.* After pooling the
# two maps are clearly more alike (0.76 against 0.56), yet most pooled values still
# change: only about 1 in 7 stays the same, because a stroke that moves one pixel often
# crosses into the next 2x2 block. The same holds on other digits; over the first 100 test
# digits:

# %% tags=["nbval-check-output"]
similarities = []
for digit in data.x_test[:100]:
    pair = relu_map(np.stack([digit, lu.measure.shift(digit, right=1)]))  # (2, 26, 26, 1)
    pooled_pair = numpy_layers.max_pool2d(pair)
    similarities.append([lu.cosine_similarity(pair[0], pair[1]),
                         lu.cosine_similarity(pooled_pair[0], pooled_pair[1])])
median_before, median_after = np.median(similarities, axis=0)
print(f"median cosine similarity over 100 digits: {median_before:.2f} before pooling, "
      f"{median_after:.2f} after")

# %% alt="Four maps on one white-to-red scale in two rows: above, the left-edge map of the 9 and of the 9 shifted one pixel right, both 26x26; below, both after pooling at 13x13, the same shape with many blocks of different strength"
lu.plot_maps([before, before_shifted, after, after_shifted],
             ["digit", "shifted 1 pixel right", "digit, pooled", "shifted, pooled"], columns=2);

# %% [markdown]
# *Top row: the shift moves every edge one pixel. Bottom row: after pooling, the two maps
# have the same shape, but many blocks change strength or move by a block: alike (0.76),
# not the same.* A CNN stacks two such poolings, so a deeper map changes less again;
# notebook 5 measures how well the whole CNN holds up when digits move.
#
# ## Try it: bias, ReLU, pooling and shifts
#
# The playground from notebook 2, now with all its controls. It starts with the 0 moved
# one pixel to the right (`shift=(1, 0)`). Things to try:
# - lower the **bias** with ReLU on: the weaker responses vanish first, as in the bias
#   figure above;
# - untick **ReLU**: the blue (negative) values come back. Pooling keeps the largest
#   value of each 2x2 block, so a block turns blue only if all four values are negative:
#   for the shifted 0, 21% of the map is blue before pooling and 15% after;
# - **shift dx** starts at 1: the picture's title gives the cosine similarity of the
#   shifted digit's pooled map to the unshifted digit's, and of the maps before pooling.
#   For the 0 with the vertical-edge kernel (ReLU on): 0.83 pooled against 0.67 before
#   pooling. Move dx to 2: 0.47 against 0.20. Try other digits and kernels: does pooling
#   always make the maps more alike?
# - with dx at 2, raise the **bias** to 1.5: the number climbs from 0.47 to 0.84, yet
#   the edges move just as far. The bias adds 1.5 to every value of both maps, even where
#   there is no edge, and a floor the two maps share makes them look alike: a bias buys
#   no shift tolerance. Lower it to -3 and every map after ReLU is blank (0
#   everywhere); the line under the playground then says there is nothing to compare
#   instead of giving a number.

# %% alt="The kernel playground's picture, titled with the cosine similarities 0.83 after pooling and 0.67 before: a handwritten 0 moved one pixel right (ink dark on white) and, on one blue-white-red scale, its vertical-edge feature map, the map after ReLU and after 2x2 max pooling (13x13)"
lu.kernel_playground(data, shift=(1, 0))

# %% [markdown]
# *On the site, a still picture of the playground: the 0 moved one pixel right, its maps,
# and in the title the cosine similarities to the unshifted digit's maps, 0.83 after
# pooling against 0.67 before. Run the notebook to move the controls.*
#
# ## How the size shrinks
#
# Through the lesson's network, each 3x3 convolution takes 2 pixels off (valid padding),
# and each of the two poolings halves the size, rounding down; the third convolution has
# no pooling after it:

# %% tags=["nbval-check-output"]
size = 28
for step in ["conv 3x3", "pool 2x2", "conv 3x3", "pool 2x2", "conv 3x3"]:
    size = size - 2 if step.startswith("conv") else size // 2
    print(f"after {step}: {size}x{size}")

# %% [markdown]
# ## How much of the digit does one unit see?
#
# Shrinking maps means that each value of a later layer depends on a larger part of the
# digit: its **receptive field**. A window of k values, whose neighbours sit `jump` input
# pixels apart, widens the field by `(k - 1) x jump` pixels: `2 x jump` for a 3x3
# convolution, `1 x jump` for 2x2 pooling, which also doubles the jump for the layers after
# it. `lu.receptive_fields()` applies that rule to the lesson's layers:

# %% tags=["nbval-check-output"]
for layer, field, jump in lu.receptive_fields():
    print(f"after {layer}: one unit sees {field:2d}x{field:<2d} pixels; "
          f"neighbouring units are {jump} input pixel{'s' * (jump > 1)} apart")

# %% [markdown]
# The same by experiment: set one input pixel to ink (1) at a time, pass it through the layers
# (with all-ones kernels, so nothing cancels), and count the pixels that reach the first
# unit of the last convolution.

# %% tags=["nbval-check-output"]
seen = lu.measure.pixels_seen()
rows, cols = np.nonzero(seen)
print("input pixels that reach one unit of the last convolution:", int(seen.sum()))
print(f"rows {rows.min()}-{rows.max()}, columns {cols.min()}-{cols.max()}")

# %% alt="Five copies of the digit 9, each with an orange square: 3x3 after the first convolution, 4x4 after the first pooling, 8x8 after the second convolution, 10x10 after the second pooling, and 18x18 after the third convolution, covering most of the digit"
lu.plot_receptive_fields(images[0], lu.receptive_fields());

# %% [markdown]
# *What one unit sees, layer by layer (the most central unit of each layer is drawn): the
# first convolution sees 3x3 pixels, a stroke's edge; a unit of the last convolution sees
# 18x18 of the 28x28 digit, most of it.*
#
# So pooling helps in three ways:
# - **Less work**: each pooling divides the positions the next layer visits by 4.
# - **Wider view**: after two poolings, a 3x3 kernel sees 18x18 pixels, enough to combine
#   strokes into loops and corners (notebook 6 shows the patches of test digits that
#   excite such units most).
# - **Some tolerance to shifts**: a one-pixel shift changes most pooled values, but the
#   pooled maps stay more alike than the unpooled ones (cosine 0.76 against 0.56 above).
#
# Pooling has no weights: it learns nothing, it only selects.
#
# ## Summary
#
# - ReLU makes stacked layers more than one linear map; it zeroes negative responses, and
#   the bias before it sets the threshold a response must pass.
# - 2x2 max pooling keeps the strongest response of each 2x2 block: 26x26 becomes 13x13.
# - Pooling makes the maps of a shifted digit more alike, not identical.
# - Through the network: 28 -> 26 -> 13 -> 11 -> 5 -> 3; a unit of the last convolution
#   sees 18x18 pixels.

# %% [markdown]
# ## Exercises

# %%
from lesson_utils.checks import nb3 as check

# %% [markdown]
# ### Exercise 1: max pooling by hand
#
# Max-pool this grid with 2x2 windows and stride 2, by reading it, not with code.
# Write the 2x2 result as a nested list.
#
# ```
# 1 3 | 2 0
# 4 2 | 1 5
# ----+----
# 0 1 | 7 2
# 6 2 | 3 3
# ```

# %% tags=["nbval-check-output"]
answer = ...  # [[a, b], [c, d]]
check.q1.check(answer)

# %% [markdown]
# ### Exercise 2: how a bigger image shrinks
#
# A 32x32 image goes through the first two blocks of the lesson's network: a 3x3
# convolution (valid padding), 2x2 max pooling, another 3x3 convolution, and 2x2 max
# pooling again. What is the height of the result?

# %% tags=["nbval-check-output"]
answer = ...
check.q2.check(answer)

# %% [markdown]
# ### Exercise 3: predict, then run: what a 2-pixel move does after pooling
#
# Above, a 1-pixel move changed most pooled values. Now the 9 moves **2** pixels right.
# Predict what happens to its pooled vertical-edge map (13x13), compared with the
# unmoved digit's: is it `"unchanged"`, `"moved by one cell"`, `"moved by two cells"`, or
# `"scrambled"` (the values themselves change, not only their places, as for the 1-pixel
# move)? The check measures it on `images`, then shows you the maps.

# %% tags=["nbval-check-output"]
prediction = ...  # "unchanged", "moved by one cell", "moved by two cells" or "scrambled"
check.q3.check(prediction, images)

# %% [markdown]
# Next: [4. Flatten and Dense](04_flatten_and_dense.ipynb).
