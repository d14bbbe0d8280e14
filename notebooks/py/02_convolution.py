# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py//py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
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
# The result is a new image, the **feature map**, bright wherever the patch looks
# like the kernel. A `Conv2D` layer does this with many kernels at once, and learns them.
#
# **After this notebook you can**
# - compute one output of a convolution by hand, then a whole feature map with a loop,
# - explain how the vectorised version does the same work without the loop,
# - design a kernel that finds edges, and check that Keras's `Conv2D` agrees with you,
# - work out a convolution's output size and its number of parameters.

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
# We work on one real digit from the test set, scaled to [0, 1].

# %%
data = lu.load_mnist()
image = data.x_test[0, :, :, 0]  # one 28x28 digit, without its channel axis
print("label:", data.y_test[0], "| shape:", image.shape)
lu.plot_digits(data.x_test, data.y_test, n=1);

# %% [markdown]
# ## One output, by hand
#
# Here is a kernel that responds to **vertical edges** where dark ink on the right meets
# white background on the left: negative weights on the left column, positive on the right.

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
# the patch is white (0) on its left and inked (near 1) on its right: exactly the
# kernel's pattern. On a flat patch, all white or all ink, the -1s and +1s cancel to 0.
#
# ## The sliding window, as a loop
#
# To get the whole feature map, slide the kernel to every position where it fits
# and repeat. A 3x3 kernel fits at 26 x 26 positions of a 28x28 image.

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
# Turn the vertical-edge kernel on its side and it finds horizontal edges. Stack both
# in Keras's kernel layout `(height, width, in_channels, filters)` and convolve once:
# one feature map per kernel. Red marks positive weights, blue negative.

# %%
kernels = np.stack([vertical_edge, vertical_edge.T], axis=-1)[:, :, np.newaxis, :]
print("kernels:", kernels.shape)
lu.plot_kernels(kernels, names=["vertical edges", "horizontal edges"], show_values=True);

# %%
maps = numpy_layers.conv2d(images, kernels)
lu.plot_feature_maps(maps[0], n=2, title="Feature maps: vertical edges | horizontal edges");

# %% [markdown]
# The first map lights up (yellow) on the right-hand side of vertical strokes, and is
# negative (dark) on their left; the second does the same for the tops and bottoms of
# horizontal strokes.
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

# %% tags=["nbval-check-output"]
print("Conv2D output:", library_maps.shape)
print("largest difference from ours:", float(np.abs(library_maps - maps).max()) < 1e-5)

# %% [markdown]
# ## Output size: padding and stride
#
# With **valid** padding the kernel only goes where it fits, so the output shrinks by
# `kernel - 1`. **Same** padding adds a border of zeros so the output keeps the input's
# size. A **stride** of 2 moves the kernel two pixels at a time and halves the output.
#
# | padding | stride | output size for 28x28 and a 3x3 kernel |
# | --- | --- | --- |
# | valid | 1 | (28 - 3) / 1 + 1 = 26 |
# | same | 1 | 28 / 1 = 28 |
# | valid | 2 | floor((28 - 3) / 2) + 1 = 13 |
# | same | 2 | ceil(28 / 2) = 14 |

# %% tags=["nbval-check-output"]
for padding in ("valid", "same"):
    for stride in (1, 2):
        out = numpy_layers.conv2d(images, kernels, stride=stride, padding=padding)
        formula = numpy_layers.conv_output_size(28, 3, stride, padding)
        print(f"padding={padding:5s} stride={stride}: output {out.shape[1:3]}, formula {formula}")

# %% [markdown]
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
# ## Summary
#
# - A convolution multiplies each patch by the kernel and adds it up; sliding over the
#   image gives a feature map.
# - A kernel is a pattern detector: the edge kernels light up on strokes' edges.
# - `Conv2D` does this for many learned kernels, over all input channels at once.
# - Output size: `(size - kernel) // stride + 1` with valid padding, `ceil(size / stride)`
#   with same padding. Parameters: `kh * kw * in_channels * filters + filters`.
#
# Next: [3. ReLU and max pooling](03_relu_and_pooling.ipynb).

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
# Design a 3x3 kernel that finds **horizontal** edges where a dark top meets a bright
# bottom. It should respond strongly to such an edge, not to vertical edges, and give
# 0 on a flat area. Try it on the digit with `convolve(image, kernel)` and plot it!

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
