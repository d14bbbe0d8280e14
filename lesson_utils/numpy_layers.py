"""The CNN's layers written in NumPy, forward and backward, to read and to run.

Every function uses Keras's layouts so Keras weights can be copied in
unchanged: images are NHWC, shaped (batch, height, width, channels); a
convolution kernel is (kernel_height, kernel_width, in_channels, filters);
a dense kernel is (inputs, units). Each ``*_backward`` takes the gradient
of the loss with respect to the layer's output (``grad_out``) and returns
the gradients with respect to its input (and its weights).

Taught in notebooks 2 (conv2d), 3 (relu, max_pool2d) and 4 (flatten, dense,
softmax), and in "Making it generalise" (dropout, batch_norm); the backward
passes train the NumPy CNN of notebook 5. That CNN computes the same numbers
through ``fast_layers``, written for speed where NumPy has no BLAS (in the
browser); these functions stay the definitions to read, and the tests hold the
two equal.
"""

from __future__ import annotations

import numpy as np

# ---------------------------------------------------------------- convolution


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: str = "valid") -> int:
    """Output height (or width) of a convolution or pooling window, as Keras computes it.

    valid: floor((size - kernel) / stride) + 1; same: ceil(size / stride).
    """
    if padding == "same":
        return -(-size // stride)
    return (size - kernel) // stride + 1


def pad_same(images: np.ndarray, kernel_h: int, kernel_w: int, stride: int) -> np.ndarray:
    """Zero-pad (n, h, w, c) images as Keras's ``padding="same"`` does.

    Keras adds the total padding needed so the output is ceil(size / stride),
    putting the odd pixel, if any, on the bottom and right.
    """
    _, height, width, _ = images.shape
    pads = []
    for size, kernel in ((height, kernel_h), (width, kernel_w)):
        out = conv_output_size(size, kernel, stride, "same")
        total = max((out - 1) * stride + kernel - size, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(images, ((0, 0), pads[0], pads[1], (0, 0)))


def conv2d_loops(image: np.ndarray, kernel: np.ndarray, bias: float = 0.0) -> np.ndarray:
    """The sliding window in its plainest form: one image, one filter, stride 1, no padding.

    image (h, w) and kernel (kh, kw) -> feature map (h - kh + 1, w - kw + 1).
    At each position, multiply the patch under the kernel by the kernel and add it all up.
    """
    image = np.asarray(image, dtype=np.float32)
    kernel = np.asarray(kernel, dtype=np.float32)
    kernel_h, kernel_w = kernel.shape
    out_h, out_w = image.shape[0] - kernel_h + 1, image.shape[1] - kernel_w + 1
    feature_map = np.zeros((out_h, out_w), dtype=np.float32)
    for row in range(out_h):
        for col in range(out_w):
            patch = image[row : row + kernel_h, col : col + kernel_w]
            feature_map[row, col] = np.sum(patch * kernel) + bias
    return feature_map


def shifted_views(images: np.ndarray, window_h: int, window_w: int, stride: int) -> list:
    """The window_h * window_w shifted, strided copies of (n, h, w, c) images.

    View number (i, j) holds, at output position (r, s), the pixel at offset
    (i, j) inside the window whose top-left corner is (r * stride, s * stride).
    Slicing once per offset (9 times for 3x3) replaces a loop over every pixel.
    """
    _, height, width, _ = images.shape
    out_h = conv_output_size(height, window_h, stride)
    out_w = conv_output_size(width, window_w, stride)
    return [
        images[
            :,
            i : i + stride * (out_h - 1) + 1 : stride,
            j : j + stride * (out_w - 1) + 1 : stride,
            :,
        ]
        for i in range(window_h)
        for j in range(window_w)
    ]


def image_patches(images: np.ndarray, kernel_h: int, kernel_w: int, stride: int = 1) -> np.ndarray:
    """Every kernel-sized patch of every image, as one row of numbers.

    (n, h, w, c) -> (n, out_h, out_w, kh * kw * c), the pixels of each patch
    in the order of a Keras kernel (kh, kw, c), so that a convolution becomes
    one matrix product: patches @ kernel.reshape(kh * kw * c, filters).
    """
    return np.concatenate(shifted_views(images, kernel_h, kernel_w, stride), axis=-1)


def conv2d(
    images: np.ndarray,
    kernel: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int = 1,
    padding: str = "valid",
) -> np.ndarray:
    """A Conv2D layer without its activation, all filters and channels at once.

    images (n, h, w, in_channels), kernel (kh, kw, in_channels, filters),
    bias (filters,) -> feature maps (n, out_h, out_w, filters).
    Like Keras, this is cross-correlation: the kernel is not flipped.
    """
    kernel_h, kernel_w, in_channels, filters = kernel.shape
    if padding == "same":
        images = pad_same(images, kernel_h, kernel_w, stride)
    patches = image_patches(images, kernel_h, kernel_w, stride)  # (n, oh, ow, kh*kw*c)
    # Multiply each patch by each filter and add up: one matrix product of
    # (all patches, kh*kw*c) by (kh*kw*c, filters). Making both 2-D first
    # keeps NumPy from running it as thousands of small products.
    rows = patches.reshape(-1, patches.shape[-1])
    out = rows @ kernel.reshape(kernel_h * kernel_w * in_channels, filters)
    if bias is not None:
        out += bias
    return out.reshape(*patches.shape[:3], filters)


def conv2d_backward(
    grad_out: np.ndarray,
    images: np.ndarray,
    kernel: np.ndarray,
    stride: int = 1,
    padding: str = "valid",
    need_input_grad: bool = True,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Gradients of conv2d: returns (grad_images, grad_kernel, grad_bias).

    grad_out (n, out_h, out_w, filters) is d(loss)/d(output). The first layer
    of a network needs no grad_images (nothing before it learns): pass
    ``need_input_grad=False`` to skip that work and get None.
    """
    kernel_h, kernel_w, in_channels, filters = kernel.shape
    padded = pad_same(images, kernel_h, kernel_w, stride) if padding == "same" else images
    patches = image_patches(padded, kernel_h, kernel_w, stride)
    # Each weight met every patch; its gradient adds up patch value * output gradient.
    flat_patches = patches.reshape(-1, kernel_h * kernel_w * in_channels)
    flat_grad = grad_out.reshape(-1, filters)
    grad_kernel = (flat_patches.T @ flat_grad).reshape(kernel.shape)
    grad_bias = flat_grad.sum(axis=0)
    if not need_input_grad:
        return None, grad_kernel, grad_bias
    # Each input pixel fed every output whose window covered it. First spread
    # each output's gradient over its patch (one matrix product), then add each
    # of the kh * kw patch positions back onto the pixels it came from.
    grad_patches = (flat_grad @ kernel.reshape(-1, filters).T).reshape(patches.shape)
    grad_padded = np.zeros_like(padded)
    grad_views = shifted_views(grad_padded, kernel_h, kernel_w, stride)
    for k, view in enumerate(grad_views):
        view += grad_patches[..., k * in_channels : (k + 1) * in_channels]  # writes through
    if padding == "same":
        top = (padded.shape[1] - images.shape[1]) // 2
        left = (padded.shape[2] - images.shape[2]) // 2
        return (
            grad_padded[:, top : top + images.shape[1], left : left + images.shape[2]],
            grad_kernel,
            grad_bias,
        )
    return grad_padded, grad_kernel, grad_bias


# --------------------------------------------------------------- activations


def relu(x: np.ndarray) -> np.ndarray:
    """max(0, x), element by element: negative responses become 0."""
    return np.maximum(x, 0)


def relu_backward(grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The gradient flows through where x > 0 and stops where x <= 0."""
    return grad_out * (x > 0)


def softmax(scores: np.ndarray) -> np.ndarray:
    """Scores (n, classes) -> probabilities (n, classes) that sum to 1 in each row.

    Subtracting each row's maximum first changes nothing mathematically but
    keeps exp() from overflowing.
    """
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


def sparse_categorical_crossentropy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean of -log(probability given to the true class); labels are integers (n,)."""
    picked = probabilities[np.arange(len(labels)), labels]
    # Keras clips probabilities away from 0 the same way, so log() stays finite.
    return float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0))))


def softmax_crossentropy_backward(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Gradient of the mean cross-entropy with respect to the scores before softmax.

    Softmax and cross-entropy together have the simple gradient
    (probabilities - one_hot(labels)) / n.
    """
    grad = probabilities.copy()
    grad[np.arange(len(labels)), labels] -= 1.0
    return grad / len(labels)


# ------------------------------------------------------------------- pooling


def max_pool2d(images: np.ndarray, pool_size: int = 2, stride: int | None = None) -> np.ndarray:
    """MaxPooling2D with ``padding="valid"``: the largest value of each window.

    images (n, h, w, c) -> (n, out_h, out_w, c), out = floor((h - pool) / stride) + 1.
    The stride defaults to the pool size, as in Keras.
    """
    stride = stride or pool_size
    windows = shifted_views(images, pool_size, pool_size, stride)
    return np.max(np.stack(windows), axis=0)


def max_pool2d_backward(
    grad_out: np.ndarray, images: np.ndarray, pool_size: int = 2, stride: int | None = None
) -> np.ndarray:
    """The gradient goes to the one pixel that was the maximum of its window.

    On a tie the first maximum wins, as in Keras.
    """
    stride = stride or pool_size
    windows = shifted_views(images, pool_size, pool_size, stride)
    pooled = np.max(np.stack(windows), axis=0)
    grad_images = np.zeros_like(images)
    grad_views = shifted_views(grad_images, pool_size, pool_size, stride)
    already_taken = np.zeros(pooled.shape, dtype=bool)
    for window, view in zip(windows, grad_views, strict=True):  # p*p offsets, not pixels
        is_winner = (window == pooled) & ~already_taken
        view += grad_out * is_winner
        already_taken |= is_winner
    return grad_images


def average_pool2d(images: np.ndarray, pool_size: int = 2, stride: int | None = None) -> np.ndarray:
    """AveragePooling2D with ``padding="valid"``: the mean of each window.

    images (n, h, w, c) -> (n, out_h, out_w, c), out = floor((h - pool) / stride) + 1,
    as max_pool2d; the stride defaults to the pool size, as in Keras.
    """
    stride = stride or pool_size
    windows = shifted_views(images, pool_size, pool_size, stride)
    return np.mean(np.stack(windows), axis=0)


def average_pool2d_backward(
    grad_out: np.ndarray,
    input_shape: tuple[int, ...],
    pool_size: int = 2,
    stride: int | None = None,
) -> np.ndarray:
    """Every pixel of a window gets an equal share, 1 / (pool * pool), of its gradient.

    grad_out (n, out_h, out_w, c) -> the gradient of the pooled images, ``input_shape``.
    Pixels outside every window (the last row of an odd map) get 0.
    """
    stride = stride or pool_size
    grad_images = np.zeros(input_shape, dtype=grad_out.dtype)
    share = grad_out / (pool_size * pool_size)
    for view in shifted_views(grad_images, pool_size, pool_size, stride):
        view += share
    return grad_images


def global_average_pool2d(images: np.ndarray) -> np.ndarray:
    """GlobalAveragePooling2D: the mean of each whole feature map, (n, h, w, c) -> (n, c)."""
    return images.mean(axis=(1, 2))


def global_average_pool2d_backward(
    grad_out: np.ndarray, input_shape: tuple[int, ...]
) -> np.ndarray:
    """Every pixel of a map gets an equal share, 1 / (h * w), of the map's gradient."""
    _, height, width, _ = input_shape
    share = grad_out[:, np.newaxis, np.newaxis, :] / (height * width)
    return np.broadcast_to(share, input_shape).copy()


# ----------------------------------------------------------- flatten & dense


def flatten(images: np.ndarray) -> np.ndarray:
    """(n, h, w, c) -> (n, h * w * c), in the same order as Keras's Flatten."""
    return images.reshape(len(images), -1)


def flatten_backward(grad_out: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Undo flatten: (n, h * w * c) -> (n, h, w, c)."""
    return grad_out.reshape(shape)


def dense(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """A Dense layer without its activation: x (n, inputs) @ kernel (inputs, units) + bias."""
    return x @ kernel + bias


def dense_backward(
    grad_out: np.ndarray, x: np.ndarray, kernel: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of dense: returns (grad_x, grad_kernel, grad_bias)."""
    return grad_out @ kernel.T, x.T @ grad_out, grad_out.sum(axis=0)


# ------------------------------------------ dropout & batch normalisation
# Both behave differently while training and when predicting: Dropout passes
# everything through when predicting, and BatchNormalization uses the averages it
# kept while training instead of the batch's own statistics.


def dropout_mask(shape: tuple[int, ...], rate: float, rng=None) -> np.ndarray:
    """Which numbers a Dropout layer keeps while training, already scaled.

    Each entry is 0 with probability ``rate`` (dropped) and 1 / (1 - rate) otherwise
    (kept), so that on average the layer changes nothing: the expected output equals
    the input, as when predicting. ``rng``: a ``np.random.Generator``; None draws from
    NumPy's global random numbers, which ``set_global_seed`` seeds.
    """
    draws = (rng or np.random).random(shape)
    return ((draws >= rate) / (1 - rate)).astype(np.float32)


def dropout(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Dropout while training: x times its mask (``dropout_mask(x.shape, rate)``).

    x (n, ...) -> the same shape; dropped entries become 0, kept ones are scaled up.
    When predicting, Dropout is the identity: it returns x.
    """
    return x * mask


def dropout_backward(grad_out: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The gradient flows through the kept entries, scaled as they were, and not the dropped."""
    return grad_out * mask


def batch_statistics(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each channel's mean and variance over the batch (and over every position of a map).

    x (n, features) or (n, h, w, channels) -> two arrays (channels,). The variance
    divides by the number of values (not by one less), as Keras's does.
    """
    axes = tuple(range(x.ndim - 1))  # every axis but the last, the channels
    return x.mean(axis=axes), x.var(axis=axes)


def batch_norm(
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    mean: np.ndarray,
    variance: np.ndarray,
    epsilon: float = 1e-3,
) -> np.ndarray:
    """BatchNormalization: standardise each channel, then scale it by gamma and add beta.

    x (n, ..., channels); gamma, beta, mean, variance (channels,) -> x's shape:
    gamma * (x - mean) / sqrt(variance + epsilon) + beta. While training, mean and
    variance are the batch's own (``batch_statistics(x)``); when predicting, the
    moving averages kept while training (``moving_average``). epsilon (Keras: 0.001)
    keeps a channel of constant values from dividing by 0.
    """
    return gamma * (x - mean) / np.sqrt(variance + epsilon) + beta


def moving_average(average: np.ndarray, new: np.ndarray, momentum: float = 0.99) -> np.ndarray:
    """momentum * average + (1 - momentum) * new: how BatchNormalization keeps the
    mean and variance it predicts with, one training batch at a time (Keras: 0.99)."""
    return momentum * average + (1 - momentum) * new


def batch_norm_backward(
    grad_out: np.ndarray, x: np.ndarray, gamma: np.ndarray, epsilon: float = 1e-3
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of batch_norm with the batch's own statistics (training): returns
    (grad_x, grad_gamma, grad_beta), shaped as x, gamma and beta.

    The batch's mean and variance depend on every x of the batch, so each x gets, besides
    its own share, two corrections: one through the mean, one through the variance.
    """
    axes = tuple(range(x.ndim - 1))
    mean, variance = batch_statistics(x)
    std = np.sqrt(variance + epsilon)
    x_hat = (x - mean) / std  # the standardised inputs
    grad_beta = grad_out.sum(axis=axes)
    grad_gamma = (grad_out * x_hat).sum(axis=axes)
    grad_x_hat = grad_out * gamma
    grad_x = (
        grad_x_hat
        - grad_x_hat.mean(axis=axes)  # through the mean
        - x_hat * (grad_x_hat * x_hat).mean(axis=axes)  # through the variance
    ) / std
    return grad_x, grad_gamma, grad_beta
