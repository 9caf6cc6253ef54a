"""hotline.transport"""
