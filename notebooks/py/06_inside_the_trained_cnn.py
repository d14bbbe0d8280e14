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
# # 6. Inside the trained CNN
#
# In notebook 2 we designed edge kernels by hand. A trained CNN designed its own. This
# notebook opens the trained network and looks at what it learned: the first layer's
# kernels, and one digit as it flows through every layer.
#
# **After this notebook you can**
# - read a trained layer's kernels from its weights,
# - get the feature maps of any layer, and say what changes from layer to layer.

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

print(lu.describe())
lu.set_global_seed(42)

# %% [markdown]
# We train the lesson's CNN as in notebook 5 (each notebook runs on its own).

# %%
data = lu.load_mnist()
model = lu.compile_cnn_model(lu.build_cnn_model())
history = lu.train_cnn_model(model, data.x_train, data.y_train, validation_split=0.1, verbose=2)
scores = lu.evaluate_cnn_model(model, data.x_test, data.y_test)
print(f"test accuracy: {scores['accuracy']:.2%}")

# %% [markdown]
# ## The learned kernels of the first layer
#
# The first layer's weights are its 32 kernels, in Keras's layout
# `(height, width, in_channels, filters)`; `get_weights()` lists each layer's kernel,
# then its bias.

# %% tags=["nbval-check-output"]
first_kernels, first_biases = model.get_weights()[:2]
print("kernels:", first_kernels.shape, "| biases:", first_biases.shape)

# %%
lu.plot_kernels(first_kernels, columns=8);

# %% [markdown]
# Red weights add the pixel, blue weights subtract it. Many kernels have a red side and a
# blue side: edge detectors, like the ones we built by hand, at angles no one chose.
#
# ## One digit through the network
#
# `lu.feature_maps(model, images, layer)` returns a layer's output. Watch the maps get
# smaller and more abstract: the first layer's still look like the digit; by the third
# convolution they are 3x3 summaries of which parts are where.

# %%
digit = data.x_test[:1]
lu.plot_digits(digit, data.y_test[:1], n=1);

# %% tags=["nbval-check-output"]
for name in lu.layer_names(model):
    print(f"{name:16s} {lu.feature_maps(model, digit, name).shape}")

# %%
for name in ["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2"]:
    maps = lu.feature_maps(model, digit, name)[0]
    lu.plot_feature_maps(maps, n=8, title=f"{name}: 8 of {maps.shape[-1]} maps, "
                                          f"{maps.shape[0]}x{maps.shape[1]}")
    plt.show()

# %% [markdown]
# ## The network's answer
#
# The last layer's output is the ten probabilities:

# %%
probabilities = lu.feature_maps(model, digit, "dense_1")[0]
for digit_class in np.argsort(probabilities)[::-1][:3]:
    print(f"{digit_class}: {probabilities[digit_class]:.1%}")

# %% [markdown]
# ## Summary
#
# - A trained first layer holds edge- and stroke-detecting kernels, learned from the data.
# - Deeper layers see less of *where* and more of *what*: the maps shrink from 26x26 to 3x3
#   while the number of channels grows from 32 to 64.
# - The end of the lesson: you have built every part of a CNN by hand, checked it
#   against Keras, trained it, and looked inside it.

# %% [markdown]
# ## Exercises

# %%
from lesson_utils.checks import nb6 as check

# %% [markdown]
# ### Exercise 1: which layer?
#
# Which layer's output has the shape `(5, 5, 64)` for one digit? Give its name.

# %% tags=["nbval-check-output"]
answer = ...
check.q1.check(answer)

# %% [markdown]
# ### Exercise 2: the same CNN on Fashion-MNIST
#
# Fashion-MNIST has the same shape as MNIST, 28x28 grey images in 10 classes, but shows
# clothes: T-shirts, trousers, sandals, bags... Load it with `lu.load_fashion_mnist()`,
# train the same CNN on it, and check it. Which classes does it confuse? (Try
# `lu.plot_confusion_matrix(..., class_names=fashion.class_names)`.)

# %%
fashion = ...  # lu.load_fashion_mnist()
fashion_model = ...  # build, compile and train a model on fashion.x_train, fashion.y_train
check.q2.check(fashion_model, fashion)
