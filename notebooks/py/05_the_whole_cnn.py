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
# # 5. The whole CNN
#
# Now we stack the pieces: convolutions with ReLU find patterns, pooling shrinks the
# maps, Flatten and Dense decide which digit it is. Then we let training find the
# kernels and weights that we chose by hand so far.
#
# **After this notebook you can**
# - build the lesson's CNN and account for every one of its 93,322 parameters,
# - compile and train it, and read its training curves,
# - evaluate it on unseen digits, and see where it goes wrong.

# %% tags=["remove-cell"]
# In the browser (JupyterLite) this installs the lesson's package; elsewhere it does nothing.
import sys

if sys.platform == "emscripten":
    import piplite

    await piplite.install("lesson-utils")  # noqa: F704

# %%

import lesson_utils as lu

print(lu.describe())
lu.set_global_seed(42)  # the same seed gives the same run again

# %%
data = lu.load_mnist()

# %% [markdown]
# ## Build the network
#
# `build_cnn_model()` builds the architecture below, with the size of each layer's
# output for one digit. On the TensorFlow backend it is a `keras.Sequential` model; on
# the NumPy backend, a NumPy model with the same layers and the same methods.
#
# ```python
# keras.Sequential([
#     keras.Input(shape=(28, 28, 1)),
#     layers.Conv2D(32, (3, 3), activation="relu"),  # 26x26x32
#     layers.MaxPooling2D((2, 2)),                   # 13x13x32
#     layers.Conv2D(64, (3, 3), activation="relu"),  # 11x11x64
#     layers.MaxPooling2D((2, 2)),                   # 5x5x64
#     layers.Conv2D(64, (3, 3), activation="relu"),  # 3x3x64
#     layers.Flatten(),                              # 576
#     layers.Dense(64, activation="relu"),           # 64
#     layers.Dense(10, activation="softmax"),        # 10 probabilities
# ])
# ```

# %%
model = lu.build_cnn_model()
model.summary()

# %% [markdown]
# ## Where the 93,322 parameters are
#
# Every number in the summary's last column follows from notebooks 2 and 4:
# a convolution has `kh * kw * in_channels * filters + filters`, a Dense layer
# `inputs * units + units`, pooling and Flatten none.

# %% tags=["nbval-check-output"]
counts = {
    "conv2d    3*3*1*32 + 32": 3 * 3 * 1 * 32 + 32,
    "conv2d_1  3*3*32*64 + 64": 3 * 3 * 32 * 64 + 64,
    "conv2d_2  3*3*64*64 + 64": 3 * 3 * 64 * 64 + 64,
    "dense     576*64 + 64": 576 * 64 + 64,
    "dense_1   64*10 + 10": 64 * 10 + 10,
}
for formula, count in counts.items():
    print(f"{formula:28s} = {count:6,}")
print(f"{'total':28s} = {sum(counts.values()):6,}")
print("the model says:", f"{model.count_params():,}")

# %% [markdown]
# Most parameters sit in the second and third convolutions and the first Dense
# layer; the first convolution, which looks at the raw pixels, has only 320.
#
# ## Compile: how it will learn
#
# Compiling chooses the **optimizer** (Adam, which adapts each weight's step size), the
# **loss** (cross-entropy, from notebook 4) and the **metric** we watch (accuracy).
# The learning rate, 0.007, is the largest step size Adam will take; the next cell
# explains why it can be that large.

# %%
model = lu.compile_cnn_model(model, learning_rate=0.007)

# %% [markdown]
# ## Train
#
# Training shows the network the training images in batches of 128. After each batch,
# it nudges every weight to lower the loss on that batch. One pass through all the
# images is an **epoch**; on the 3,600 training digits of the bundled sample we train
# for 5 (on a full set of 60,000 images, 2 are enough). We hold out the last 10% of
# the training images as a **validation** set: the network never trains on them, so
# they tell us how it does on digits it has not seen.
#
# The step size follows a **schedule**: it rises from almost 0 to 0.007 over the
# first 10% of the batches (a *warm-up*, while the weights are still random and the
# gradients large), then falls along a cosine curve to almost 0 at the end, so the
# last steps settle the weights instead of shaking them. Large steps early and small
# steps late let 2 epochs of batches of 128 reach the test accuracy of 5 epochs of
# batches of 64 at a constant 0.001 (the recipe of the tutorial this lesson grew from)
# in about a quarter of the training time: measured on the 60,000 images of
# Fashion-MNIST on a 2-core CPU, in `benchmarks/README.md`. Pass
# `learning_rate_schedule="constant"` to `train_cnn_model` to train without it and compare.

# %%
history = lu.train_cnn_model(model, data.x_train, data.y_train, batch_size=128,
                             validation_split=0.1, verbose=2)

# %% [markdown]
# ## Training curves
#
# Loss should fall and accuracy rise, for training and validation alike. If training
# accuracy kept rising while validation accuracy fell, the network would be
# memorising its training images (overfitting).

# %%
lu.plot_training_curves(history);

# %% [markdown]
# ## Evaluate on the test set
#
# The test images were used for nothing so far. Their accuracy is the honest measure.

# %%
scores = lu.evaluate_cnn_model(model, data.x_test, data.y_test)
print(f"test accuracy: {scores['accuracy']:.2%}   test loss: {scores['loss']:.4f}")

# %% [markdown]
# ## Where it goes wrong
#
# The confusion matrix counts, for each true digit (row), which digit the network
# predicted (column). The diagonal holds the right answers; anything else is a mistake.

# %%
predicted = lu.predict_classes(model, data.x_test)
lu.plot_confusion_matrix(data.y_test, predicted);

# %% [markdown]
# And the mistakes themselves, titled "true -> predicted". Many are digits a person
# would hesitate over too.

# %%
lu.plot_misclassified(data.x_test, data.y_test, predicted, n=20);

# %% [markdown]
# ## Summary
#
# - The CNN is Conv2D/MaxPooling2D twice, a third Conv2D, Flatten and two Dense layers:
#   93,322 parameters, most of them in the later layers.
# - Training adjusts them all, batch by batch, to lower the cross-entropy loss.
# - A few epochs reach a high test accuracy; the confusion matrix shows which digits
#   the network still mixes up.
#
# Next: [6. Inside the trained CNN](06_inside_the_trained_cnn.ipynb).

# %% [markdown]
# ## Exercises

# %%
from lesson_utils.checks import nb5 as check

# %% [markdown]
# ### Exercise 1: account for a layer's parameters
#
# How many parameters does the first Dense layer (`dense`, 64 units after Flatten) have?
# Work it out before looking at the summary.

# %% tags=["nbval-check-output"]
answer = ...
check.q1.check(answer)

# %% [markdown]
# ### Exercise 2: a CNN of your own
#
# Build a variant of the lesson's CNN with `lu.build_cnn_model(...)`: fewer or more
# filters, another `dense_units`, a `kernel_size` of 5... Compile it, train it like the
# lesson's model, and compare. Is it better, worse, faster? The check evaluates your
# model on the test set and compares it with the lesson's model.

# %%
variant = ...  # build, compile and train your model here
check.q2.check(variant, data.x_test, data.y_test, scores["accuracy"])
