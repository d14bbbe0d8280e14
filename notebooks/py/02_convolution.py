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
# # 2. Convolution
#
# A convolution slides a small grid of weights, the **kernel**, over the image and
# at each position multiplies the pixels under it by the weights and adds them up.
# The result is a new image, the **feature map**, large wherever the patch looks
# like the kernel. A `Conv2D` layer does this with many kernels at once, and learns them.
#
# **After this notebook you can**
# - compute one output of a convolution by hand, then a whole feature map with a loop,
# - explain how the vectorised version does the same work without the loop,
# - design a kernel that finds edges, and check that Keras's `Conv2D` agrees with you,
# - say how one filter combines several input channels,
# - work out a convolution's output size and its number of parameters,
# - watch gradient descent find an edge kernel by itself.

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
# Everything in this notebook happens on one real digit from the test set, scaled to
# [0, 1]: background 0, full ink 1, as in notebook 1.

# %% alt="One handwritten digit, a 9, ink dark on white, titled 9"
data = lu.load_mnist()
image = data.x_test[0, :, :, 0]  # one 28x28 digit, without its channel axis
print("label:", data.y_test[0], "| shape:", image.shape)
lu.plot_digits(data.x_test, data.y_test, n=1);

# %% [markdown]
# *The digit we convolve: a 9 with a closed loop and a slanted tail.*
#
# ## One output, by hand
#
# The next cell computes one number of a feature map by hand, to see the whole idea at
# once. Its kernel responds to **vertical edges** where background on the left meets ink
# on the right: negative weights on the left column, positive on the right.

# %% tags=["nbval-check-output"]
vertical_edge = np.array([[-1, 0, 1],
                          [-1, 0, 1],
                          [-1, 0, 1]], dtype=np.float32)
row, col = 15, 7  # the top-left corner of the patch: the left edge of a stroke
patch = image[row : row + 3, col : col + 3]
print("patch:\n", np.round(patch, 2))
print("patch * kernel:\n", np.round(patch * vertical_edge, 2))
print("sum:", round(float(np.sum(patch * vertical_edge)), 4))

# %% [markdown]
# That one number is the feature map's value at position (15, 7). It is large because
# the patch is background (0) on its left and ink (near 1) on its right: exactly the
# kernel's pattern. On a flat patch, all background or all ink, the -1s and +1s cancel to 0.
#
# ## The sliding window, as a loop
#
# To get the whole feature map, slide the kernel to every position where it fits
# and repeat. A 3x3 kernel fits at 26 x 26 positions of a 28x28 image.
#
# Strictly, this is **cross-correlation**: the convolution of mathematics flips the
# kernel first. Keras, PyTorch and the others do not flip it, and since the network
# learns its kernels, it does not matter: it would simply learn the flipped kernel.

# %%
def convolve(image, kernel):
    """Slide kernel over image; one output per position where it fits ("valid")."""
    kernel_size = kernel.shape[0]
    out_size = image.shape[0] - kernel_size + 1
    feature_map = np.zeros((out_size, out_size), dtype=np.float32)
    for r in range(out_size):
        for c in range(out_size):
            patch = image[r : r + kernel_size, c : c + kernel_size]
            feature_map[r, c] = np.sum(patch * kernel)
    return feature_map


# %% tags=["nbval-check-output"]
feature_map = convolve(image, vertical_edge)
print("feature map:", feature_map.shape)
print("value at (15, 7):", round(float(feature_map[row, col]), 4))

# %% [markdown]
# ## The vectorised version
#
# The loop visits 676 positions one at a time, which is slow in Python. The lesson's
# `numpy_layers.conv2d` does the same sum for every position at once: it gathers every
# 3x3 patch as a row of 9 numbers (`image_patches`), then multiplies all the rows by
# the kernel in one matrix product. It also handles batches, channels and many
# kernels. Same numbers:

# %% tags=["nbval-check-output"]
images = image[np.newaxis, :, :, np.newaxis]  # a batch of 1 image with 1 channel
kernel = vertical_edge[:, :, np.newaxis, np.newaxis]  # Keras layout: (3, 3, in=1, out=1)
fast = numpy_layers.conv2d(images, kernel)
print("shape:", fast.shape)
print("same as the loop:", np.allclose(fast[0, :, :, 0], feature_map, atol=1e-6))

# %% [markdown]
# ## Edge detectors and their feature maps
#
# One kernel finds one kind of edge; turned on its side, the vertical-edge kernel finds
# horizontal edges where background above meets ink below. Stack both in Keras's kernel
# layout `(height, width, in_channels, filters)` and convolve once: one feature map per
# kernel. Red marks positive weights, blue negative.

# %% alt="Two 3x3 kernels with their weights written in: vertical edges has -1 in the left column and +1 in the right; horizontal edges has -1 in the top row and +1 in the bottom row"
kernels = np.stack([vertical_edge, vertical_edge.T], axis=-1)[:, :, np.newaxis, :]
print("kernels:", kernels.shape)
lu.plot_kernels(kernels, names=["0: vertical edges", "1: horizontal edges"], show_values=True);

# %% [markdown]
# *The two kernels: blue -1, white 0, red +1.* Now their feature maps, on one shared
# colour scale centred on 0 (white): red is a positive response, blue a negative one.

# %% alt="Two 26x26 feature maps of the digit 9 on a blue-white-red scale: map 0 is red along the left edges of the strokes and blue along their right edges; map 1 is red along the tops of strokes and blue along their bottoms"
maps = numpy_layers.conv2d(images, kernels)
lu.plot_feature_maps(maps[0], title="Feature maps: 0 vertical edges, 1 horizontal edges");

# %% [markdown]
# *Map 0 is red (positive) along the **left** edges of the strokes, where the window has
# background on its left and ink on its right, and blue along their right edges. Map 1 is
# red along the **tops** of strokes (background above, ink below) and blue along their
# bottoms.* The numbers behind the first claim, on one row of the digit:

# %% tags=["nbval-check-output"]
print("digit row 16, columns with ink (> 0.5):", np.flatnonzero(image[16] > 0.5))
print("map 0, row 15, columns 6-10:", np.round(maps[0, 15, 6:11, 0], 1))

# %% [markdown]
# Map position (15, c) is the window whose centre sits on pixel (16, c + 1). The stroke
# fills columns 8-9: the map is +3.0 at column 7 (centred on column 8, the stroke's left
# edge) and -2.2 at column 9 (centred on column 10, just past its right edge).
#
# ## Try your own kernels
#
# The playground below runs the same `numpy_layers.conv2d` on one test digit of your
# choice. Type weights into the 3x3 grid (or pick a preset), and the signed feature map
# is redrawn at once, on one colour scale centred on 0. Things to try:
# - the vertical-edge preset, then swap its two columns: the red and the blue trade places;
# - the horizontal-edge preset on a 7 or a 4: where are their horizontal strokes?
# - all nine weights 1: the map becomes a blurred, thicker digit, with no negative values.
#
# The ReLU, bias, pooling and shift controls belong to notebook 3; untick ReLU and
# pooling to see the plain convolution.

# %% alt="The kernel playground's picture: a handwritten 0 (ink dark on white) and, on one blue-white-red scale, its vertical-edge feature map (red along the left edges of the strokes, blue along the right edges), the map after ReLU (only the red) and after 2x2 max pooling (13x13)"
lu.kernel_playground(data)

# %% [markdown]
# *On the site this is a still picture: the 0, its vertical-edge map (red where ink lies
# to the right of the window's centre, on the left edges of the strokes; blue on their
# right edges), the map after ReLU and after pooling. Run the notebook to change it.*
#
# ## Keras's `Conv2D` computes the same thing
#
# Give a `Conv2D` layer our two kernels as its weights, and it returns the same
# feature maps. (In the browser there is no Keras; `lu.keras_layers()` then hands out
# NumPy stand-ins with the same arguments, and says so.)

# %%
layers = lu.keras_layers()
conv = layers.Conv2D(filters=2, kernel_size=(3, 3), use_bias=False)
conv.build((None, 28, 28, 1))
conv.set_weights([kernels])
library_maps = np.asarray(conv(images))
difference = float(np.abs(library_maps - maps).max())
print("Conv2D output:", library_maps.shape)
print(f"largest difference from ours: {difference:.1g}")

# %% [markdown]
# Any difference at all would be float32 rounding, of the order of 0.0000001 (a library
# may add the same products in a different order), not a different result:

# %% tags=["nbval-check-output"]
print("same up to float32 rounding (difference below 0.00001):", difference < 1e-5)

# %% [markdown]
# ## Several input channels: one filter, one slice per channel
#
# Only the first layer sees the grey digit, with its 1 channel. The second gets the first
# layer's feature maps: 32 of them, stacked as 32 channels. To see how a filter reads
# several channels, take our two feature maps after ReLU (notebook 3: negatives set to 0)
# as a 2-channel input, as a second layer would get them. A filter has **one 3x3 kernel
# slice per input channel**: each slice slides over its own channel, the results are
# **added**, and **one bias** is added to the sum. One filter, however many channels,
# makes one output map.
#
# Words: a **kernel** is one 3x3 grid of weights; a **filter** is the stack of kernel
# slices, one per input channel (here 3x3x2), with its bias. `Conv2D(32, ...)` has 32
# filters; Keras stores them all in one array called the layer's `kernel`, shaped
# `(3, 3, in_channels, 32)`.

# %% alt="A grid of panels: two input channels (the left-edge and top-edge maps of the 9, white to red), two 3x3 kernel slices (a vertical bar of 0.33 and a horizontal bar of 0.33), each slice's result, and their sum plus a bias of -0.5 as one output map, on a shared blue-white-red scale"
channels = numpy_layers.relu(maps[0])  # (26, 26, 2): left edges, top edges
one_filter = np.zeros((3, 3, 2), dtype=np.float32)
one_filter[:, 1, 0] = 1 / 3  # slice 0: a vertical bar, on the left-edge channel
one_filter[1, :, 1] = 1 / 3  # slice 1: a horizontal bar, on the top-edge channel
bias = -0.5
lu.plot_filter_channels(channels, one_filter, bias);

# %% [markdown]
# *Each slice averages its own channel along a line: slice 0 down the left edges of
# channel 0, slice 1 along the top edges of channel 1. The output map responds to both
# kinds of edge, and where both are present their responses add up; the bias moves every
# value down by 0.5, so empty areas are pale blue (-0.5).* The numbers at one position, and
# `conv2d` with the filter in Keras's layout computing the same sum everywhere:

# %% tags=["nbval-check-output"]
slice_results = [convolve(channels[:, :, c], one_filter[:, :, c]) for c in range(2)]
by_slices = slice_results[0] + slice_results[1] + bias
r, c = 14, 12
print(f"at ({r}, {c}): slice 0 gives {slice_results[0][r, c]:.3f}, slice 1 gives "
      f"{slice_results[1][r, c]:.3f}, bias {bias}: output {by_slices[r, c]:.3f}")
at_once = numpy_layers.conv2d(channels[np.newaxis], one_filter[:, :, :, np.newaxis],
                              bias=np.array([bias], dtype=np.float32))
print("filter:", one_filter.shape, "-> output:", at_once.shape)
print("sum of slices + bias == conv2d:", np.allclose(by_slices, at_once[0, :, :, 0], atol=1e-5))

# %% [markdown]
# ## Output size: padding and stride
#
# How big the feature map comes out depends on two choices. With input size n, kernel
# size k, a border of p zeros on each side (**padding**) and a step of s pixels
# (**stride**), the kernel fits at
#
# `output = floor((n + 2p - k) / s) + 1` positions along each side.
#
# Keras names two paddings: **valid** is p = 0 (the kernel only goes where it fits, so
# the output shrinks by k - 1), and **same** chooses the padding that makes the output
# ceil(n / s): for a 3x3 kernel, p = 1, and with stride 1 the output keeps the input's size.
#
# | padding | zeros added along an axis, before + after | stride s | output size, n = 28, k = 3 |
# | --- | --- | --- | --- |
# | valid | 0 + 0 | 1 | floor((28 + 0 - 3) / 1) + 1 = 26 |
# | same | 1 + 1 | 1 | floor((28 + 2 - 3) / 1) + 1 = 28 |
# | valid | 0 + 0 | 2 | floor((28 + 0 - 3) / 2) + 1 = 13 |
# | same | 0 + 1 | 2 | floor((28 + 1 - 3) / 2) + 1 = 14 |
#
# With stride 2, Keras's "same" pads only what the last window needs: 1 row at the
# bottom and 1 column at the right, none at the top or left. The formula's 2p counts all
# the zeros added along an axis, before and after: here 0 + 1 = 1. The next cell checks
# the table with `conv2d`; the figure after it draws the four rows on a 6x6 input, small
# enough to see every window.

# %% tags=["nbval-check-output"]
def output_size(n, k, zeros, s):  # zeros: all added along an axis, before + after
    return (n + zeros - k) // s + 1


for padding, stride, before, after in (("valid", 1, 0, 0), ("same", 1, 1, 1),
                                       ("valid", 2, 0, 0), ("same", 2, 0, 1)):
    out = numpy_layers.conv2d(images, kernels, stride=stride, padding=padding)
    print(f"padding={padding:5s} ({before} + {after} zeros) stride={stride}: output "
          f"{out.shape[1:3]}, formula {output_size(28, 3, before + after, stride)}")

# %% alt="Four panels, one per row of the table, each a 6x6 grid of white input squares with the first 3x3 windows outlined in orange, purple and green and a black dot at the centre of every window: valid stride 1 has 4x4 dots; same stride 1 adds a hatched ring of zeros and has 6x6 dots; valid stride 2 has 2x2 dots and never reaches the last row and column; same stride 2 adds hatched zeros only at the right and bottom and has 3x3 dots"
lu.plot_padding_and_stride(size=6, kernel=3);

# %% [markdown]
# *Each dot is the centre of one window, one output value. Valid, stride 1: the 3x3 window
# fits at 4 positions along each side, 4x4. Same, stride 1: a ring of zeros (hatched) makes
# the grid 8x8, and the window's centre visits every input pixel, 6x6. Valid, stride 2: the
# window steps 2 pixels and fits at columns 0 and 2 only, never reaching the last column
# (or row): floor((6 - 3) / 2) + 1 = 2, 2x2. Same, stride 2: zeros only at the right and
# bottom, 0 + 1 as in the table's last row, let a third window fit: ceil(6 / 2) = 3, 3x3.*
#
# ## How many parameters does a Conv2D layer learn?
#
# Each filter has one weight per pixel of its window **and per input channel**, plus
# one bias. The lesson's first layer has 32 filters of 3x3 on 1 channel:

# %% tags=["nbval-check-output"]
filters, kernel_size, in_channels = 32, 3, 1
print("weights:", kernel_size * kernel_size * in_channels * filters, "+ biases:", filters,
      "=", kernel_size * kernel_size * in_channels * filters + filters)

# %% [markdown]
# The parameter count does not depend on the image's size: the same 9 weights are
# reused at every position. That sharing is why CNNs need far fewer parameters than a
# dense layer on all 784 pixels, and why they find a pattern wherever it appears.
#
# ## Recovering a kernel by gradient descent
#
# We designed the edge kernel by hand. A CNN learns its kernels instead, by gradient
# descent, and the next cell shows the mechanism on a task whose answer we know: the
# targets are the hand-made kernel's own edge maps of 16 training digits, and we start
# from 9 random weights and repeatedly nudge them to shrink the mean squared difference
# between their maps and those targets. If gradient descent works, it should find the
# hand-made kernel again, from its outputs alone.
#
# `conv2d_backward` gives the gradient: how the mean squared difference changes with
# each weight. It starts from the gradient with respect to the maps: the difference is
# the mean of `error ** 2`, whose slope for each value of `error` is `2 * error` divided
# by the number of values, `error.size`. From that, it works out the gradient for each of
# the 9 weights (and would for the input too; `need_input_grad=False` skips that).

# %%
rng = np.random.default_rng(0)
examples = data.x_train[:16]  # 16 digits ...
edge_maps = numpy_layers.conv2d(examples, kernel)  # ... and their vertical-edge maps
learned = rng.normal(0.0, 0.5, size=(3, 3, 1, 1)).astype(np.float32)
start = learned.copy()


def error_maps(weights):
    """The feature maps these weights make of the examples, minus the edge maps."""
    return numpy_layers.conv2d(examples, weights) - edge_maps


print(f"after   0 steps: mean squared difference {np.mean(error_maps(learned) ** 2):.5f}")
for step in range(1, 201):
    error = error_maps(learned)
    _, gradient, _ = numpy_layers.conv2d_backward(
        2 * error / error.size, examples, learned, need_input_grad=False
    )
    learned -= 1.0 * gradient  # a step against the gradient, learning rate 1.0
    if step % 50 == 0:
        print(f"after {step:3d} steps: mean squared difference "
              f"{np.mean(error_maps(learned) ** 2):.5f}")

# %% alt="Three 3x3 kernels with their weights written in: a random start, the kernel after 200 steps with about -1 in the left column, 0 in the middle and +1 in the right, and the hand-made vertical-edge kernel"
lu.plot_kernels(np.round(np.concatenate([start, learned, kernel], axis=-1)[:, :, 0, :], 2),
                names=["random start", "after 200 steps", "hand-made"], show_values=True);

# %% [markdown]
# *From random weights, 200 small steps arrive close to the hand-made kernel: about -1 down
# the left column, 0 in the middle, +1 on the right.* The weights were never shown the
# kernel, only the maps it makes, and gradient descent recovered it from those. A CNN
# learns its kernels by the same steps, but nobody has target maps for it: the gradient
# comes from the classification error at the end of the network (notebook 5), and the
# kernels it finds are whatever helps it classify, not a kernel chosen in advance.
#
# ## Summary
#
# - A convolution multiplies each patch by the kernel and adds it up; sliding over the
#   image gives a feature map. (Strictly a cross-correlation: the kernel is not flipped.)
# - A kernel is a pattern detector: its map is positive where a patch looks like its
#   pattern and negative where a patch looks like the opposite; the edge kernels light up
#   on strokes' edges.
# - A filter has one kernel slice per input channel; their results are added, plus one bias.
# - Output size: `floor((n + 2p - k) / s) + 1`; Keras's valid is p = 0, same pads with
#   zeros to keep `ceil(n / s)`, and a stride of 2 visits every other position.
#   Parameters: `kh * kw * in_channels * filters + filters`.
# - Gradient descent recovered the edge kernel from the maps it makes; `Conv2D` learns its
#   kernels by the same steps, from the classification error instead of target maps.

# %% [markdown]
# ## Exercises

# %%
from lesson_utils.checks import nb2 as check

# %% [markdown]
# ### Exercise 1: output shape of a convolution
#
# A `Conv2D(16, kernel_size=(5, 5))` layer (valid padding, stride 1) gets one 28x28x1
# image. What is the shape of its output for that image, `(height, width, channels)`?

# %% tags=["nbval-check-output"]
answer = ...
check.q1.check(answer)

# %% [markdown]
# ### Exercise 2: design a kernel
#
# Design a 3x3 kernel that finds **horizontal** edges where **ink above** meets
# **background below** (the bottoms of strokes). It should respond positively along such
# an edge, but not to the tops of strokes (background above ink) nor to vertical edges,
# and give 0 on a flat area. Try it on the digit with
# `convolve(image, kernel)` and plot it with `lu.plot_feature_maps(...)`!

# %% tags=["nbval-check-output"]
kernel = ...  # a 3x3 NumPy array
check.q2.check(kernel)

# %% [markdown]
# ### Exercise 3: count a Conv2D layer's parameters
#
# The lesson's second convolution has 64 filters of 3x3 and gets 32 feature maps
# (channels) as input. How many parameters does it learn?

# %% tags=["nbval-check-output"]
answer = ...
check.q3.check(answer)

# %% [markdown]
# ### Exercise 4: predict, then run: where does the map light up?
#
# An 8x8 image holds a vertical stroke of ink (1) on background (0), 3 pixels wide. The
# kernel is the mirror of this notebook's vertical-edge kernel: +1s on the left, -1s on
# the right.
#
# ```
# image                  kernel
# 0 0 0 0 0 0 0 0        1 0 -1
# 0 0 1 1 1 0 0 0        1 0 -1
# 0 0 1 1 1 0 0 0        1 0 -1
# 0 0 1 1 1 0 0 0
# 0 0 1 1 1 0 0 0
# 0 0 1 1 1 0 0 0
# 0 0 1 1 1 0 0 0
# 0 0 0 0 0 0 0 0
# ```
#
# Before running anything, predict where the kernel's feature map has its **largest**
# value: `"left edge"`, `"right edge"`, `"both edges"` or `"inside"` the stroke. The check
# convolves and compares, then shows you the map.

# %% tags=["nbval-check-output"]
prediction = ...  # "left edge", "right edge", "both edges" or "inside"
check.q4.check(prediction)

# %% [markdown]
# Next: [3. ReLU and max pooling](03_relu_and_pooling.ipynb).
