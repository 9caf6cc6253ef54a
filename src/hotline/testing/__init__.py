"""hotline.testing"""
