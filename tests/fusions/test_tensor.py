import torch

from mmbench.fusions.tensor import TensorFusion

from ._inputs import dims, inputs


def test_product_is_the_outer_product_of_one_extended_vectors():
    torch.manual_seed(0)
    names = ("image", "text", "audio")
    fusion = TensorFusion(dims(names), dim=8, proj_dim=3).eval()
    assert fusion.product_size == 4**3
    feats, masks = inputs(names)
    z = [torch.relu(fusion.proj[m](feats[m].amax(1))) for m in names]
    z1 = [torch.cat([v, torch.ones(2, 1)], 1) for v in z]
    ref = torch.einsum("bi,bj,bk->bijk", *z1).flatten(1)
    torch.testing.assert_close(fusion(feats, masks)[0][:, 0], fusion.mlp(ref))
    # the product keeps unimodal terms: entry [i, P, P] is z_image[i] alone
    assert torch.equal(ref.view(2, 4, 4, 4)[:, :3, 3, 3], z[0])
