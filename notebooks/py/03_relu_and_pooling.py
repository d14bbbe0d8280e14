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
# # 3. ReLU and max pooling
#
# After each convolution the lesson's CNN applies two simple operations. **ReLU** keeps
# the positive responses and sets the negative ones to zero. **Max pooling** keeps the
# strongest response in each 2x2 block, halving the feature map's height and width.
#
# **After this notebook you can**
# - apply ReLU to a feature map and say what it removes,
# - max-pool a grid by hand, and check `MaxPooling2D` against it,
# - follow how the spatial size shrinks through the network, and say why that helps.

# %% tags=["remove-cell"]
# In the browser (JupyterLite) this installs the lesson's package; elsewhere it does nothing.
import sys

if sys.platform == "emscripten":
    import piplite

    await piplite.install("lesson-utils")  # noqa: F704

# %%
import matplotlib.pyplot as plt
import numpy as np

import lesson_utils as lu
from lesson_utils import numpy_layers

print(lu.describe())

# %% [markdown]
# We start from the vertical-edge feature map of notebook 2, on the same test digit.

# %%
data = lu.load_mnist()
images = data.x_test[:1]  # (1, 28, 28, 1)
vertical_edge = np.array([[-1, 0, 1]] * 3, dtype=np.float32)
feature_map = numpy_layers.conv2d(images, vertical_edge[:, :, None, None])
print("feature map:", feature_map.shape)

# %% [markdown]
# ## ReLU: keep what the kernel found
#
# `relu(x) = max(0, x)`. A negative response means "the opposite of my pattern is
# here"; the next layers only need to know where the pattern *is*, so ReLU sets the
# rest to zero. It is also what makes a stack of layers more than one big linear map.

# %% tags=["nbval-check-output"]
activated = numpy_layers.relu(feature_map)
print("before ReLU: min", round(float(feature_map.min()), 3), "max",
      round(float(feature_map.max()), 3))
print("after ReLU:  min", round(float(activated.min()), 3), "max",
      round(float(activated.max()), 3))
print("values set to 0:", int(np.sum(feature_map < 0)), "of", feature_map.size)

# %%
figure, axes = plt.subplots(1, 2, figsize=(7, 3.5))
for ax, picture, title in ((axes[0], feature_map, "feature map"),
                           (axes[1], activated, "after ReLU")):
    ax.imshow(picture[0, :, :, 0], cmap="viridis")
    ax.set_title(title)
    ax.axis("off")

# %% [markdown]
# ## Max pooling by hand
#
# 2x2 max pooling with stride 2 cuts the map into 2x2 blocks and keeps each block's
# largest value. On a small grid we can do it by reading:

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
# Keras's layer (or its NumPy stand-in in the browser) on the same grid, shaped as a
# batch of one single-channel image:

# %%
layers = lu.keras_layers()
pool = layers.MaxPooling2D(pool_size=(2, 2))
library_pooled = np.asarray(pool(grid[None, :, :, None]))[0, :, :, 0]

# %% tags=["nbval-check-output"]
print(library_pooled)
print("same as by hand:", np.array_equal(library_pooled, by_hand))

# %% [markdown]
# And on the real feature map: the 26x26 map after ReLU becomes 13x13. The strokes'
# edges survive; their exact position blurs by a pixel.

# %% tags=["nbval-check-output"]
pooled_map = numpy_layers.max_pool2d(activated)
print(activated.shape, "->", pooled_map.shape)

# %%
figure, axes = plt.subplots(1, 2, figsize=(7, 3.5))
for ax, picture, title in ((axes[0], activated, "after ReLU, 26x26"),
                           (axes[1], pooled_map, "after max pooling, 13x13")):
    ax.imshow(picture[0, :, :, 0], cmap="viridis")
    ax.set_title(title)
    ax.axis("off")

# %% [markdown]
# ## How the size shrinks, and why that helps
#
# Through the lesson's network, each 3x3 convolution takes 2 pixels off and each
# pooling halves (rounding down):

# %% tags=["nbval-check-output"]
size = 28
for step in ["conv 3x3", "pool 2x2", "conv 3x3", "pool 2x2", "conv 3x3"]:
    size = size - 2 if step.startswith("conv") else size // 2
    print(f"after {step}: {size}x{size}")

# %% [markdown]
# Pooling helps in three ways:
# - **Less work**: each pooling divides the positions the next layer visits by 4.
# - **Wider view**: a 3x3 kernel after two poolings covers a large part of the digit, so
#   later layers can combine strokes into loops and corners.
# - **Tolerance**: a stroke shifted by one pixel gives the same maximum, so small
#   shifts of the digit change little.
#
# Pooling has no weights: it learns nothing, it only selects.
#
# ## Summary
#
# - ReLU keeps positive responses and zeroes the rest.
# - 2x2 max pooling keeps the strongest response of each 2x2 block: 26x26 becomes 13x13.
# - Through the network: 28 -> 26 -> 13 -> 11 -> 5 -> 3.
#
# Next: [4. Flatten and Dense](04_flatten_and_dense.ipynb).

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
# ### Exercise 2: how the image shrinks
#
# A 28x28 image goes through a 3x3 convolution (valid padding) and then 2x2 max pooling.
# What is the height of the result?

# %% tags=["nbval-check-output"]
answer = ...
check.q2.check(answer)
